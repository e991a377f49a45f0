/**
 * Username and group templates (SPEC 4.3): `{{AccountID}}`, `{{SessionName}}`,
 * `{{SessionNameRaw}}`, `{{AccessKeyID}}`, `{{EC2PrivateDNSName}}`, and, for
 * `mapIdentity` only, the same names in `<<…>>` spelling.
 *
 * EKS substitutes the `{{…}}` spellings alone (the Go authenticator's
 * `renderTemplate`, kubernetes-sigs/aws-iam-authenticator
 * pkg/server/server.go:529-548 at commit 81b1dab, replaces exactly
 * `{{EC2PrivateDNSName}}`, `{{AccountID}}`, `{{SessionName}}`,
 * `{{SessionNameRaw}}` and `{{AccessKeyID}}`), so `<<…>>` is rendered only
 * when {@link TemplateContext.angleBrackets} says so.
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

/** `{{Name}}` only, what EKS reads; group 1 is the name. */
const BRACED_PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** The Go authenticator's test for a session name that is an EC2 instance id. */
const INSTANCE_ID = /^i-(\w{8}|\w{17})$/;

/** One placeholder found in a template. */
export interface PlaceholderUse {
  /** As written, e.g. `<<AccountID>>`. */
  readonly raw: string;
  /** The name between the delimiters. */
  readonly name: string;
  /** `{{…}}` (what EKS reads) or `<<…>>` (substituted by `mapIdentity` only). */
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
  /**
   * Also render the `<<Name>>` spellings, as `mapIdentity` promises; EKS
   * keeps them literal.
   */
  readonly angleBrackets: boolean;
}

/** The rendered username and groups of one mapping. */
export interface RenderedMapping {
  /** The rendered username (possibly empty: EKS's answer too). */
  username: string;
  /** The rendered groups, in order. */
  groups: string[];
}

function usesPrivateDnsName(template: string, angleBrackets: boolean): boolean {
  return (
    template.includes('{{EC2PrivateDNSName}}') ||
    (angleBrackets && template.includes('<<EC2PrivateDNSName>>'))
  );
}

/** True when rendering these templates needs `{{EC2PrivateDNSName}}` (an EC2 call). */
export function needsPrivateDnsName(
  username: string,
  groups: readonly string[],
  angleBrackets: boolean,
): boolean {
  if (usesPrivateDnsName(username, angleBrackets)) return true;
  for (const group of groups) if (usesPrivateDnsName(group, angleBrackets)) return true;
  return false;
}

/**
 * The private DNS name for `{{EC2PrivateDNSName}}`: the caller's session
 * must be named after an instance id, and the resolver must find a name.
 *
 * @throws {@link TemplateError} otherwise.
 */
export async function privateDnsName(ctx: TemplateContext): Promise<string> {
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

/** The value of one placeholder, or `undefined` for a name EKS does not substitute. */
function placeholderValue(
  name: string,
  ctx: TemplateContext,
  privateDns: string | undefined,
): string | undefined {
  switch (name) {
    case 'AccountID':
      return ctx.accountId;
    // Go replaces '@' because Kubernetes names derived from e-mail sessions must not carry it.
    case 'SessionName':
      return (ctx.sessionName ?? '').replaceAll('@', '-');
    case 'SessionNameRaw':
      return ctx.sessionName ?? '';
    case 'AccessKeyID':
      if (ctx.accessKeyId === undefined) {
        throw new TemplateError(
          '{{AccessKeyID}} needs the access key id: pass a verified identity, or options.accessKeyId with an ARN',
          { placeholder: 'AccessKeyID' },
        );
      }
      return ctx.accessKeyId;
    case 'EC2PrivateDNSName':
      return privateDns;
    default:
      return undefined;
  }
}

/** Render one template in one pass: substituted values are never scanned again. */
function renderTemplate(
  template: string,
  ctx: TemplateContext,
  privateDns: string | undefined,
): string {
  if (ctx.angleBrackets && template.includes('<<')) {
    return template.replace(
      PLACEHOLDER,
      (raw, braced: string | undefined, angled: string | undefined) =>
        placeholderValue((braced ?? angled) as string, ctx, privateDns) ?? raw,
    );
  }
  // Most names and groups are plain: no need to run a pattern over them.
  if (!template.includes('{{')) return template;
  return template.replace(
    BRACED_PLACEHOLDER,
    (raw, name: string) => placeholderValue(name, ctx, privateDns) ?? raw,
  );
}

/**
 * Render a mapping's username and groups.
 *
 * @param privateDns - the value for `{{EC2PrivateDNSName}}`, from
 *   {@link privateDnsName} when {@link needsPrivateDnsName} says so.
 * @throws {@link TemplateError} when `{{AccessKeyID}}` is used and no access
 *   key id is known. An empty rendered username is returned as is, as EKS
 *   returns it.
 */
export function renderTemplates(
  username: string,
  groups: readonly string[],
  ctx: TemplateContext,
  privateDns: string | undefined,
): RenderedMapping {
  // An empty username is EKS's answer too (pkg/server/server.go:507-527 renders
  // and returns it unchecked): the caller becomes the user "" with the groups.
  const name = renderTemplate(username, ctx, privateDns);
  const rendered: string[] = [];
  for (const group of groups) rendered.push(renderTemplate(group, ctx, privateDns));
  return { username: name, groups: rendered };
}
