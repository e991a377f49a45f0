/**
 * `mapIdentity` (SPEC 4.2): the Kubernetes username and groups an IAM
 * identity gets from `aws-auth` (or the Go authenticator's ordered sources),
 * asked through the same door as `resolveIdentity`, under `CONFIG_MAP`.
 *
 * @module
 */
import { readCaller } from '../mapping/caller.js';
import type { AwsAuth, AwsAuthInput } from '../mapping/types.js';
import type { MappingSourceList } from '../sources/types.js';
import type { VerifiedIdentity } from '../token/verify.js';
import { readQuestion } from './question.js';
import { configMapSourcesOf } from './sources.js';
import type { MapIdentityOptions, Mapping } from './types.js';
import { firstAnswer } from './union.js';

export type { MapIdentityOptions, Mapping };

/**
 * The Kubernetes username and groups `aws-auth` gives an IAM identity, or
 * `null` when no entry matches.
 *
 * The caller's ARN is canonicalized (an `assumed-role/<role>/<session>` ARN
 * becomes `role/<role>`) and matched case-insensitively, in this order:
 * 1. `mapRoles` entries with `rolearn` (a later duplicate wins);
 * 2. `mapRoles` entries with `sso`, only with `ssoRoleMatch: true`;
 * 3. `mapUsers` (a later duplicate wins);
 * 4. `mapAccounts`: username = canonical ARN, no groups.
 *
 * Then the entry's `{{…}}` placeholders are rendered (SPEC 4.3), and its
 * `<<…>>` spellings too unless `angleBracketTemplates: false` (EKS keeps
 * them literal: `resolveIdentity` answers as EKS does).
 *
 * A thin facade on `resolveIdentity`'s door: `resolveIdentity` under
 * `CONFIG_MAP` asks the same sources in the same order.
 *
 * @param awsAuth - a `parseAwsAuth` result (fastest: parse once, map many),
 *   or anything `parseAwsAuth` accepts; or ordered sources (SPEC 4.8): a
 *   list of parse results or `{ mode, mappings }`, a `mappingSources`
 *   bundle, or one `parseAuthenticatorConfig` / `parseIdentityMappings` /
 *   `parseDynamicFile` result. The first source that maps the caller wins
 *   (its account list included), and the result names it in `source`.
 * @param identity - an IAM/STS ARN string (account and session name are read
 *   from it), or the `VerifiedIdentity` of `verifyToken`.
 * @example
 * ```ts
 * const awsAuth = parseAwsAuth(yamlText);
 * const m = await mapIdentity(awsAuth, 'arn:aws:sts::111122223333:assumed-role/Admin/alice');
 * // { username: 'admin:alice', groups: ['system:masters'], matchedBy: 'mapRoles', … } or null
 * ```
 * @throws (rejects with) `ArnError` (`ERR_ARN_INVALID`) for an ARN string it
 * cannot read, `TemplateError` (`ERR_TEMPLATE`) when the matched entry cannot
 * be rendered, `AwsAuthError` (`ERR_AWS_AUTH_INVALID`) when `awsAuth` is not a
 * ConfigMap, `TypeError` for bad arguments. Never throws synchronously.
 */
export async function mapIdentity(
  awsAuth: AwsAuthInput | AwsAuth | MappingSourceList,
  identity: string | VerifiedIdentity,
  options?: MapIdentityOptions,
): Promise<Mapping | null> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError('mapIdentity: options must be an object');
  }
  // The package's promise: mapIdentity substitutes <<Name>> unless told not to.
  const question = readQuestion(options ?? {}, 'mapIdentity', true);
  const { sources } = configMapSourcesOf(awsAuth);
  const caller = readCaller(identity, question.accessKeyId, 'mapIdentity');
  const pending = firstAnswer(sources, caller, question);
  // No await unless rendering needs one (an EC2 call): lookups are the hot path.
  const answer = pending instanceof Promise ? await pending : pending;
  if (answer === null) return null;
  const { asked, match } = answer;
  // Built field by field, in the order JSON output has always shown them.
  const mapping = {
    username: answer.username,
    groups: answer.groups,
    matchedBy: match.matchedBy,
  } as Mapping;
  if (match.entryIndex !== undefined) mapping.entryIndex = match.entryIndex;
  mapping.canonicalArn = caller.canonicalArn;
  if (asked.backend !== undefined) mapping.source = asked.backend;
  if (asked.sourceIndex !== undefined) mapping.sourceIndex = asked.sourceIndex;
  return mapping;
}
