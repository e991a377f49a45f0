/**
 * Username and group templates (SPEC 4.3): `{{AccountID}}`, `{{SessionName}}`,
 * `{{SessionNameRaw}}`, `{{AccessKeyID}}`, `{{EC2PrivateDNSName}}`, and the
 * same names in `<<…>>` spelling.
 *
 * Substitution is one pass over the template: a value is never scanned again,
 * so a role session name that itself contains `{{AccountID}}` (session names
 * are chosen by whoever calls `sts:AssumeRole`) stays literal.
 *
 * @module
 */
import { TemplateError } from '../errors.js';

/** The placeholder names EKS substitutes. */
export const PLACEHOLDER_NAMES: readonly string[] = Object.freeze([
  'AccountID',
  'SessionName',
  'SessionNameRaw',
  'AccessKeyID',
  'EC2PrivateDNSName',
]);

const KNOWN = new Set(PLACEHOLDER_NAMES);

/** `{{Name}}` or `<<Name>>`; group 1 or 2 is the name. */
const PLACEHOLDER = /\{\{([^{}]*)\}\}|<<([^<>]*)>>/g;

const EC2_PLACEHOLDER = /\{\{EC2PrivateDNSName\}\}|<<EC2PrivateDNSName>>/;

/** The Go authenticator's test for a session name that is an EC2 instance id. */
const INSTANCE_ID = /^i-(\w{8}|\w{17})$/;

/** One placeholder found in a template. */
export interface PlaceholderUse {
  /** As written, e.g. `<<AccountID>>`. */
  readonly raw: string;
  /** The name between the delimiters. */
  readonly name: string;
  /** `{{…}}` (what EKS reads) or `<<…>>` (accepted here only). */
  readonly spelling: 'braces' | 'angles';
  /** True if `name` is one of {@link PLACEHOLDER_NAMES}. */
  readonly known: boolean;
}

/** Every placeholder-looking `{{…}}` / `<<…>>` in a template, in order. */
export function scanPlaceholders(template: string): PlaceholderUse[] {
  const out: PlaceholderUse[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const braces = m[1] !== undefined;
    const name = (braces ? m[1] : m[2]) as string;
    out.push({ raw: m[0], name, spelling: braces ? 'braces' : 'angles', known: KNOWN.has(name) });
  }
  return out;
}

/** What the placeholders of one mapping are rendered from. */
export interface TemplateContext {
  /** 12-digit account of the caller. */
  readonly accountId: string;
  /** Role session name; absent for users, root and federated users (renders as ``). */
  readonly sessionName: string | undefined;
  /** Access key id the token was signed with, if known. */
  readonly accessKeyId: string | undefined;
  /** Looks up an instance's private DNS name, for `{{EC2PrivateDNSName}}`. */
  readonly resolveEC2PrivateDNSName: ((instanceId: string) => Promise<string> | string) | undefined;
}

async function privateDnsName(ctx: TemplateContext): Promise<string> {
  const placeholder = 'EC2PrivateDNSName';
  const session = ctx.sessionName;
  // EC2 instance roles use the instance id as session name; anything else
  // (a person's session, a user) must not be turned into a node identity.
  if (session === undefined || !INSTANCE_ID.test(session)) {
    throw new TemplateError(
      '{{EC2PrivateDNSName}} needs a role session named after an EC2 instance id (i-…); this session is not',
      { placeholder },
    );
  }
  if (ctx.resolveEC2PrivateDNSName === undefined) {
    throw new TemplateError(
      '{{EC2PrivateDNSName}} needs options.resolveEC2PrivateDNSName (see createEC2PrivateDNSNameResolver)',
      { placeholder },
    );
  }
  let name: unknown;
  try {
    name = await ctx.resolveEC2PrivateDNSName(session);
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    throw new TemplateError(`could not resolve the private DNS name of instance ${session}`, {
      cause: error,
      placeholder,
    });
  }
  // An instance without a private DNS name would map to "system:node:", a
  // name no node should share: refuse rather than map.
  if (typeof name !== 'string' || name === '') {
    throw new TemplateError(`no private DNS name was found for instance ${session}`, {
      placeholder,
    });
  }
  return name;
}

/**
 * Render a mapping's username and groups. The EC2 resolver is called at most
 * once, and only when a template uses `{{EC2PrivateDNSName}}`.
 *
 * @throws {@link TemplateError} when a needed value is missing. An empty
 * rendered username is returned as is, as EKS returns it.
 */
export async function renderMapping(
  username: string,
  groups: readonly string[],
  ctx: TemplateContext,
): Promise<{ username: string; groups: string[] }> {
  const dns =
    EC2_PLACEHOLDER.test(username) || groups.some((g) => EC2_PLACEHOLDER.test(g))
      ? await privateDnsName(ctx)
      : undefined;
  const session = ctx.sessionName ?? '';
  const value = (name: string): string | undefined => {
    switch (name) {
      case 'AccountID':
        return ctx.accountId;
      // Go replaces '@' because Kubernetes names derived from e-mail sessions must not carry it.
      case 'SessionName':
        return session.replaceAll('@', '-');
      case 'SessionNameRaw':
        return session;
      case 'AccessKeyID':
        if (ctx.accessKeyId === undefined) {
          throw new TemplateError(
            '{{AccessKeyID}} needs the access key id: pass a verified identity, or options.accessKeyId with an ARN',
            { placeholder: 'AccessKeyID' },
          );
        }
        return ctx.accessKeyId;
      case 'EC2PrivateDNSName':
        return dns;
      default:
        return undefined;
    }
  };
  const render = (template: string): string =>
    template.replace(PLACEHOLDER, (raw, braced: string | undefined, angled: string | undefined) => {
      return value((braced ?? angled) as string) ?? raw;
    });

  // An empty username is EKS's answer too (pkg/server/server.go:507-526 renders
  // and returns it unchecked): the caller becomes the user "" with the groups.
  return { username: render(username), groups: groups.map(render) };
}
