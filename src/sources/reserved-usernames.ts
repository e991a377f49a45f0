/**
 * Reserved username prefixes (the Go authenticator's
 * `server.reservedPrefixConfig`): the server refuses everyone an entry maps
 * when the rendered username begins with a prefix reserved for the entry's
 * source (pkg/server/server.go:466-474, 487-489). Parsing warns about the
 * entries whose template already begins with one.
 *
 * @module
 */
import type {
  AwsAuthDiagnostic,
  AwsAuthKey,
  RoleMapping,
  SsoRoleMapping,
  UserMapping,
} from '../mapping/types.js';
import { quoteForMessage } from '../util/control-characters.js';

/** The entries whose usernames are checked. */
interface UsernameEntries {
  readonly mapRoles: readonly (RoleMapping | SsoRoleMapping)[];
  readonly mapUsers: readonly UserMapping[];
}

/**
 * One warning per entry whose username begins with one of `prefixes` (empty
 * prefixes never count); `consequence` says, after the prefix, whose rule
 * refuses it.
 */
export function reservedUsernameWarnings(
  entries: UsernameEntries,
  prefixes: readonly string[],
  consequence: string,
): AwsAuthDiagnostic[] {
  const out: AwsAuthDiagnostic[] = [];
  const check = (key: AwsAuthKey, entry: RoleMapping | SsoRoleMapping | UserMapping): void => {
    const prefix = prefixes.find((p) => p !== '' && entry.username.startsWith(p));
    if (prefix === undefined) return;
    out.push({
      severity: 'warning',
      code: 'reserved-username',
      key,
      index: entry.index,
      field: 'username',
      ...(entry.line === undefined ? {} : { line: entry.line }),
      message: `username begins with ${quoteForMessage(prefix)}, ${consequence}`,
    });
  };
  for (const entry of entries.mapRoles) check('mapRoles', entry);
  for (const entry of entries.mapUsers) check('mapUsers', entry);
  return out;
}
