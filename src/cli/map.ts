/**
 * `eks-iam-auth map`: what Kubernetes user and groups an IAM ARN gets from an
 * `aws-auth` ConfigMap (or access entries, `map-access-entries.ts`, or the
 * Go authenticator's ordered sources, `map-sources.ts`), and, when it gets
 * none, which entries nearly matched and why they did not.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { CanonicalArn } from '../arn.js';
import { mapIdentity } from '../resolve/map-identity.js';
import type { MapIdentityOptions } from '../resolve/map-identity.js';
import { parseAwsAuth } from '../aws-auth/parse.js';
import type { AwsAuth } from '../mapping/types.js';
import { TemplateError } from '../errors.js';
import { UsageError, parseCommandLine, requireFlag } from './args.js';
import { exitStatusHelp } from './exit-codes.js';
import { readInputFile } from './input.js';
import { mapWithAccessEntries } from './map-access-entries.js';
import { mapWithSources } from './map-sources.js';
import { findNearMisses } from './near-miss.js';
import type { NearMiss } from './near-miss.js';
import {
  EXIT,
  escapeControl,
  formatJson,
  out,
  reportError,
  warn,
  warnIgnoredErrors,
} from './output.js';
import type { FlagNames } from './translate-error.js';

/** Usage text of `map`. */
export const USAGE: string = `Usage: eks-iam-auth map --aws-auth FILE --arn ARN [options]
       eks-iam-auth map --source FILE [--source FILE...] --arn ARN [options]

Map an IAM or STS ARN through an aws-auth ConfigMap by the EKS rules and print
the Kubernetes username and groups as JSON. When nothing matches, say why and
list the entries that nearly match. With --source, map through the Go
authenticator's sources instead, in the order given.

Options:
  --aws-auth FILE              the ConfigMap (YAML or JSON; "-" reads standard input)
  --arn ARN                    the caller, e.g. arn:aws:sts::111122223333:assumed-role/Admin/alice
  --access-key-id ID           the access key id, for {{AccessKeyID}} templates
  --ec2-private-dns-name NAME  the instance's private DNS name, for {{EC2PrivateDNSName}}
                               (the session name must be the instance id)
  --sso-role-match             match mapRoles "sso" entries (off in EKS unless enabled)
  --strip-role-paths           also match rolearn entries written with a path (EKS does not)
  --angle-bracket-templates    also substitute <<SessionName>>-style placeholders, as the
                               library's mapIdentity does by default (EKS keeps them literal)
  --access-entries FILE        the cluster's access entries (JSON, as the AWS CLI prints
                               them); with it, --aws-auth is optional
  --authentication-mode MODE   CONFIG_MAP, API or API_AND_CONFIG_MAP, any letter case
                               (default: the file's authenticationMode, else what the
                               files given imply)
  --source FILE                a mapping source of the Go authenticator, repeatable, tried
                               in the order given (its --backend-mode order; the first
                               that maps the caller wins): its server config file
                               (server.mapRoles, ...), IAMIdentityMapping objects, a
                               DynamicFile, or an aws-auth ConfigMap, told apart by
                               content. Takes the place of --aws-auth (not both).
  --user-id-strict             DynamicFile sources match by principal id (userid), as
                               the server's dynamicfileUserIDStrict (also on when a
                               config file given as --source sets it)
  --principal-id ID            the caller's unique id (AROA..., AIDA...), for
                               user-id-strict matching
  -h, --help                   show this help

${exitStatusHelp('map')}
`;

/**
 * The flags that supply the library options `map` passes on, for error
 * messages (`can-i` and `who-can` take the same ones).
 */
export const MAP_FLAGS: FlagNames = {
  accessKeyId: '--access-key-id',
  resolveEC2PrivateDNSName: '--ec2-private-dns-name',
  ssoRoleMatch: '--sso-role-match',
  stripRolePaths: '--strip-role-paths',
  angleBracketTemplates: '--angle-bracket-templates',
  accessEntries: '--access-entries',
  awsAuth: '--aws-auth (or --source)',
  authenticationMode: '--authentication-mode',
};

/**
 * A caller ARN naming a role with its path (`role/team/name`): what
 * `aws iam get-role` prints, but never what the cluster sees. STS reports a
 * role session as `assumed-role/<name>/<session>`, without the path, and
 * the authenticator canonicalizes that to `role/<name>` (SPEC 3.5;
 * aws-iam-authenticator pkg/arn/arn.go lines 56–62 at commit
 * 81b1daba00d194c00d3cdd8b0a0fece5ba648d4e), so the answer for this ARN is
 * not the cluster's.
 */
function rolePathHint(caller: CanonicalArn): string | undefined {
  if (caller.principalType !== 'role' || caller.name === undefined || !caller.name.includes('/')) {
    return undefined;
  }
  const name = caller.name.slice(caller.name.lastIndexOf('/') + 1);
  return `hint: --arn names the role with its path (${escapeControl(caller.name)}); STS reports roles without their path (arn:${caller.partition}:sts::${caller.accountId}:assumed-role/${escapeControl(name)}/SESSION), so EKS sees arn:${caller.partition}:iam::${caller.accountId}:role/${escapeControl(name)}: pass that, or the assumed-role ARN "aws sts get-caller-identity" prints`;
}

// The library names its options; on the command line the flags supply them.
const FLAG_FOR_PLACEHOLDER: Record<string, string> = {
  AccessKeyID: '--access-key-id',
  EC2PrivateDNSName: '--ec2-private-dns-name (and an ARN whose session name is the instance id)',
};

function describe(miss: NearMiss): string {
  const line = miss.line === undefined ? '' : ` (line ${miss.line})`;
  // The value and reason quote the file: escaped, one line each.
  return `  ${miss.key}[${miss.index}]${line}: ${escapeControl(miss.value)}\n    ${escapeControl(miss.reason)}`;
}

/**
 * `sso` entries that would have matched with `--sso-role-match`: found by
 * asking `mapIdentity` itself, so the rule is never restated here.
 */
async function ssoNearMiss(
  awsAuth: AwsAuth,
  arn: string,
  options: MapIdentityOptions,
): Promise<NearMiss[]> {
  if (options.ssoRoleMatch) return [];
  const mapping = await mapIdentity(awsAuth, arn, { ...options, ssoRoleMatch: true }).catch(
    () => null,
  );
  if (mapping?.matchedBy !== 'sso' || mapping.entryIndex === undefined) return [];
  const entry = awsAuth.mapRoles.find((e) => e.index === mapping.entryIndex);
  if (entry?.sso === undefined) return [];
  return [
    {
      key: 'mapRoles',
      index: entry.index,
      ...(entry.line === undefined ? {} : { line: entry.line }),
      value: `sso ${entry.sso.permissionSetName} in ${entry.sso.accountId}`,
      reason:
        'an IAM Identity Center (sso) entry: it matches only with --sso-role-match (the authenticator feature gate SSORoleMatch)',
    },
  ];
}

const IGNORED: ReadonlySet<string> = new Set([
  'yaml-syntax',
  'yaml-not-a-list',
  'entry-not-a-map',
  'entry-missing-arn',
  'entry-arn-and-sso',
  'sso-invalid',
  'field-wrong-type',
  'yaml11-scalar',
  'account-not-a-string',
]);

/** Run `map` with its arguments; resolves to the exit status. */
export async function run(argv: string[]): Promise<number> {
  try {
    const args = parseCommandLine(
      argv,
      {
        options: {
          'aws-auth': { type: 'string' },
          arn: { type: 'string' },
          'access-key-id': { type: 'string' },
          'ec2-private-dns-name': { type: 'string' },
          'sso-role-match': { type: 'boolean' },
          'strip-role-paths': { type: 'boolean' },
          'angle-bracket-templates': { type: 'boolean' },
          'access-entries': { type: 'string' },
          'authentication-mode': { type: 'string' },
          source: { type: 'string', multiple: true },
          'principal-id': { type: 'string' },
          'user-id-strict': { type: 'boolean' },
        },
        allowPositionals: false,
      },
      USAGE,
    );
    if (args.help) {
      out(USAGE);
      return EXIT.ok;
    }
    const v = args.values;
    if (v.arn !== undefined) {
      // Said first, whatever follows: the answer for such an ARN is not the cluster's.
      const hint = rolePathHint(canonicalizeArn(v.arn));
      if (hint !== undefined) warn(hint);
    }
    const dns = v['ec2-private-dns-name'];
    const mapOptions: MapIdentityOptions = {
      ssoRoleMatch: v['sso-role-match'] === true,
      stripRolePaths: v['strip-role-paths'] === true,
      // The cluster's answer: EKS renders only {{…}} placeholders (its
      // renderTemplate), so <<…>> stays literal unless asked for.
      angleBracketTemplates: v['angle-bracket-templates'] === true,
      ...(v['access-key-id'] === undefined ? {} : { accessKeyId: v['access-key-id'] }),
      ...(dns === undefined ? {} : { resolveEC2PrivateDNSName: () => dns }),
    };
    if (v.source !== undefined) {
      return await mapWithSources(
        {
          sources: v.source,
          arn: v.arn,
          principalId: v['principal-id'],
          userIdStrict: v['user-id-strict'] === true,
          awsAuth: v['aws-auth'],
          accessEntries: v['access-entries'],
          authenticationMode: v['authentication-mode'],
          mapOptions,
        },
        USAGE,
      );
    }
    if (v['principal-id'] !== undefined || v['user-id-strict'] === true) {
      throw new UsageError('--principal-id and --user-id-strict need a --source', USAGE);
    }
    if (v['access-entries'] !== undefined || v['authentication-mode'] !== undefined) {
      return await mapWithAccessEntries(
        {
          accessEntries: v['access-entries'],
          awsAuth: v['aws-auth'],
          authenticationMode: v['authentication-mode'],
          arn: v.arn,
          mapOptions,
        },
        USAGE,
      );
    }
    const file = requireFlag(v['aws-auth'], '--aws-auth', USAGE);
    const arn = requireFlag(v.arn, '--arn', USAGE);
    const caller = canonicalizeArn(arn);
    const awsAuth = await readInputFile(file, parseAwsAuth);
    const fatal = awsAuth.diagnostics.find((d) => d.fatal === true);
    // Errors that make EKS ignore something; entries that never match are
    // explained by the near-miss list when they matter.
    const errors = awsAuth.diagnostics.filter(
      (d) => d.severity === 'error' && d.code !== undefined && IGNORED.has(d.code),
    ).length;
    if (fatal !== undefined) {
      // Kubernetes refuses the object: EKS maps nothing from it, and neither does this.
      warn(
        escapeControl(
          `error: ${file}${fatal.line === undefined ? '' : `:${fatal.line}`}: ${fatal.message}`,
        ),
      );
    } else {
      warnIgnoredErrors(file, errors);
    }
    const options = mapOptions;
    const mapping = await mapIdentity(awsAuth, arn, options);
    if (mapping !== null) {
      out(formatJson(mapping));
      return EXIT.ok;
    }
    const order = ['mapRoles', 'mapUsers', 'mapAccounts'];
    const misses = [
      ...(await ssoNearMiss(awsAuth, arn, options)),
      ...findNearMisses(awsAuth, caller),
    ].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key) || a.index - b.index);
    warn(`not mapped: no aws-auth entry matches ${caller.canonicalArn}`);
    if (misses.length > 0) {
      warn('nearest entries:');
      for (const miss of misses) warn(describe(miss));
    }
    return EXIT.failure;
  } catch (error) {
    const status = reportError(error, MAP_FLAGS);
    const hint =
      error instanceof TemplateError ? FLAG_FOR_PLACEHOLDER[error.placeholder ?? ''] : undefined;
    if (hint !== undefined) warn(`hint: pass ${hint}`);
    return status;
  }
}
