/**
 * The cluster a question is asked of, read from the command line for
 * `can-i` and `who-can`: its identity sources (the inputs of `map`:
 * `--access-entries`, `--aws-auth` or `--source`, `--authentication-mode`)
 * and its RBAC objects (`--rbac`, repeatable).
 *
 * @module
 */
import { parseAccessEntries } from '../access-entries/parse.js';
import { parseAwsAuth } from '../aws-auth/parse.js';
import { parseRbac } from '../authz/rbac/parse.js';
import type { Rbac } from '../authz/rbac/types.js';
import type { AuthorizeOptions } from '../authz/types.js';
import { EksAuthError } from '../errors.js';
import { UsageError } from './args.js';
import { parseAuthenticationMode } from './authentication-mode.js';
import { inputLabel, readInputFile, readTextInput } from './input.js';
import { loadSources, sourceList, warnAboutSources } from './map-sources.js';
import { MAP_FLAGS } from './map.js';
import { escapeControl, warn, warnIgnoredErrors } from './output.js';
import { InputFileError } from './translate-error.js';
import type { FlagNames } from './translate-error.js';

/** The `parseArgs` options these flags take. */
export const CLUSTER_INPUT_OPTIONS = {
  'access-entries': { type: 'string' },
  'aws-auth': { type: 'string' },
  source: { type: 'string', multiple: true },
  'authentication-mode': { type: 'string' },
  rbac: { type: 'string', multiple: true },
  'no-defaults': { type: 'boolean' },
  'access-key-id': { type: 'string' },
  'ec2-private-dns-name': { type: 'string' },
  'sso-role-match': { type: 'boolean' },
  'strip-role-paths': { type: 'boolean' },
  'angle-bracket-templates': { type: 'boolean' },
  'user-id-strict': { type: 'boolean' },
} as const;

/** The usage lines of these flags. */
export const CLUSTER_INPUT_USAGE = `The cluster (as for "eks-iam-auth map"; at least one identity source):
  --access-entries FILE        the cluster's access entries (JSON, as the AWS CLI prints them)
  --aws-auth FILE              the aws-auth ConfigMap (YAML or JSON)
  --source FILE                a mapping source of the Go authenticator, repeatable, in
                               backend order (instead of --aws-auth)
  --authentication-mode MODE   CONFIG_MAP, API or API_AND_CONFIG_MAP (default: the access
                               entries file's, else what the files given imply)
  --rbac FILE                  Roles, ClusterRoles and their bindings (YAML, JSON, or the
                               output of "kubectl get clusterroles,clusterrolebindings,roles,
                               rolebindings -A -o yaml"); repeatable. Kubernetes' default
                               roles and bindings are added unless --no-defaults
  --no-defaults                the --rbac files are a whole live dump: add no defaults
  --access-key-id ID           the access key id, for {{AccessKeyID}} templates
  --ec2-private-dns-name NAME  the instance's private DNS name, for {{EC2PrivateDNSName}}
  --sso-role-match             match mapRoles "sso" entries (off in EKS unless enabled)
  --strip-role-paths           also match rolearn entries written with a path (EKS does not)
  --angle-bracket-templates    also substitute <<SessionName>>-style placeholders (EKS keeps
                               them literal)
  --user-id-strict             DynamicFile sources match by principal id (userid)
  Standard input ("-") can be one of the files.`;

/** The values `parseArgs` gives for {@link CLUSTER_INPUT_OPTIONS}. */
export interface ClusterInputValues {
  'access-entries'?: string | undefined;
  'aws-auth'?: string | undefined;
  source?: string[] | undefined;
  'authentication-mode'?: string | undefined;
  rbac?: string[] | undefined;
  'no-defaults'?: boolean | undefined;
  'access-key-id'?: string | undefined;
  'ec2-private-dns-name'?: string | undefined;
  'sso-role-match'?: boolean | undefined;
  'strip-role-paths'?: boolean | undefined;
  'angle-bracket-templates'?: boolean | undefined;
  'user-id-strict'?: boolean | undefined;
}

const MAX_RBAC_MESSAGES = 10;

/**
 * The largest `--rbac` file read. A live dump of a cluster's roles and
 * bindings (`kubectl get … -A -o yaml`) is not one ConfigMap: a busy
 * cluster's runs to several MiB, so the bound is larger than the 1 MiB of
 * the other inputs, and still a bound.
 */
const MAX_RBAC_BYTES = 64 * 1024 * 1024;

/** The flags that supply the library options these commands pass on, for error messages. */
export const CLUSTER_INPUT_FLAGS: FlagNames = {
  ...MAP_FLAGS,
  rbac: '--rbac',
  namespace: '--namespace',
};

async function loadRbac(files: readonly string[], defaults: boolean): Promise<Rbac> {
  const texts = await Promise.all(files.map((file) => readTextInput(file, MAX_RBAC_BYTES)));
  const options = { bootstrap: defaults, maxInputLength: MAX_RBAC_BYTES };
  let rbac: Rbac;
  try {
    rbac = parseRbac(texts, options);
  } catch (error) {
    if (!(error instanceof EksAuthError)) throw error;
    // Name the file that is not RBAC input: the parser sees texts, not files.
    const at = texts.findIndex((text) => {
      try {
        parseRbac(text, { ...options, bootstrap: false });
        return false;
      } catch {
        return true;
      }
    });
    throw new InputFileError(inputLabel(files[at === -1 ? 0 : at] ?? ''), error);
  }
  const errors = rbac.diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors.slice(0, MAX_RBAC_MESSAGES)) {
    const file = d.input === undefined ? '' : (files[d.input] ?? '');
    // FILE:LINE:COLUMN of the value when it can be told, as lint prints them.
    const line = d.fieldLine ?? d.line;
    const column = d.fieldLine !== undefined && d.column !== undefined ? `:${d.column}` : '';
    const where = line === undefined ? '' : `:${line}${column}`;
    warn(escapeControl(`warning: ${file}${where}: ${d.message}`));
  }
  if (errors.length > MAX_RBAC_MESSAGES) {
    warn(`warning: … and ${errors.length - MAX_RBAC_MESSAGES} more RBAC errors`);
  }
  return rbac;
}

/**
 * Read the cluster's files into `authorize` options, warning on standard
 * error about what the files hold that EKS would ignore.
 *
 * @throws {@link UsageError} for missing or conflicting flags and unreadable
 *   files; the parsers' typed errors for unusable input.
 */
export async function loadClusterInputs(
  values: ClusterInputValues,
  usage: string,
): Promise<AuthorizeOptions> {
  const sources = values.source ?? [];
  if (values['aws-auth'] !== undefined && sources.length > 0) {
    throw new UsageError(
      '--aws-auth and --source cannot be combined: give the ConfigMap as a --source',
      usage,
    );
  }
  if (
    values['access-entries'] === undefined &&
    values['aws-auth'] === undefined &&
    sources.length === 0
  ) {
    throw new UsageError('give the cluster: --access-entries, --aws-auth or --source', usage);
  }
  const stdin = [values['access-entries'], values['aws-auth'], ...sources, ...(values.rbac ?? [])];
  if (stdin.filter((file) => file === '-').length > 1) {
    throw new UsageError('standard input ("-") can be only one of the files', usage);
  }
  const mode =
    values['authentication-mode'] === undefined
      ? undefined
      : parseAuthenticationMode(values['authentication-mode'], usage);
  let accessEntries;
  if (values['access-entries'] !== undefined) {
    const file = values['access-entries'];
    accessEntries = await readInputFile(file, parseAccessEntries);
    warnIgnoredErrors(file, accessEntries.diagnostics.filter((d) => d.severity === 'error').length);
  }
  let awsAuth: AuthorizeOptions['awsAuth'];
  if (sources.length > 0) {
    const loaded = await loadSources(sources, values['user-id-strict'] === true);
    warnAboutSources(loaded);
    awsAuth = sourceList(loaded);
  } else if (values['aws-auth'] !== undefined) {
    const file = values['aws-auth'];
    awsAuth = await readInputFile(file, parseAwsAuth);
    warnIgnoredErrors(file, awsAuth.diagnostics.filter((d) => d.severity === 'error').length);
  }
  const dns = values['ec2-private-dns-name'];
  const rbacFiles = values.rbac ?? [];
  return {
    ...(accessEntries === undefined ? {} : { accessEntries }),
    ...(awsAuth === undefined ? {} : { awsAuth }),
    ...(mode === undefined ? {} : { authenticationMode: mode }),
    ...(rbacFiles.length === 0
      ? {}
      : { rbac: await loadRbac(rbacFiles, values['no-defaults'] !== true) }),
    ssoRoleMatch: values['sso-role-match'] === true,
    stripRolePaths: values['strip-role-paths'] === true,
    angleBracketTemplates: values['angle-bracket-templates'] === true,
    ...(values['access-key-id'] === undefined ? {} : { accessKeyId: values['access-key-id'] }),
    ...(dns === undefined ? {} : { resolveEC2PrivateDNSName: () => dns }),
  };
}
