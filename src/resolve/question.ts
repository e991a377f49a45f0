/**
 * The settings of one question ("who is this caller?"), read once from the
 * caller's options: how entries match, and how templates render.
 *
 * @module
 */
import type { LookupOptions } from '../mapping/source.js';
import type { MapIdentityOptions } from './types.js';

/** {@link MapIdentityOptions}, checked, with their defaults applied. */
export interface Question extends LookupOptions {
  /** The access key id for an ARN string's `{{AccessKeyID}}`. */
  readonly accessKeyId: string | undefined;
  /** The EC2 lookup for `{{EC2PrivateDNSName}}`. */
  readonly resolveEC2PrivateDNSName: MapIdentityOptions['resolveEC2PrivateDNSName'];
  /** Whether `<<Name>>` spellings are substituted too. */
  readonly angleBrackets: boolean;
}

function checkBoolean(api: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${api}: options.${name} must be a boolean`);
  }
}

/**
 * Check the mapping options of `api` and apply their defaults.
 *
 * @param angleBracketsByDefault - `angleBracketTemplates` when not given:
 *   `true` for `mapIdentity` only.
 * @throws `TypeError` for an option of the wrong type.
 */
export function readQuestion(
  options: MapIdentityOptions,
  api: string,
  angleBracketsByDefault: boolean,
): Question {
  // Named one by one rather than in a loop over names: this runs on every lookup.
  const { stripRolePaths, ssoRoleMatch, angleBracketTemplates } = options;
  checkBoolean(api, 'stripRolePaths', stripRolePaths);
  checkBoolean(api, 'ssoRoleMatch', ssoRoleMatch);
  checkBoolean(api, 'angleBracketTemplates', angleBracketTemplates);
  const { accessKeyId, resolveEC2PrivateDNSName } = options;
  if (accessKeyId !== undefined && typeof accessKeyId !== 'string') {
    throw new TypeError(`${api}: options.accessKeyId must be a string`);
  }
  if (resolveEC2PrivateDNSName !== undefined && typeof resolveEC2PrivateDNSName !== 'function') {
    throw new TypeError(`${api}: options.resolveEC2PrivateDNSName must be a function`);
  }
  return {
    stripRolePaths: stripRolePaths === true,
    ssoRoleMatch: ssoRoleMatch === true,
    accessKeyId,
    resolveEC2PrivateDNSName,
    angleBrackets: angleBracketTemplates ?? angleBracketsByDefault,
  };
}
