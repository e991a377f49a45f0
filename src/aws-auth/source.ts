/**
 * The `aws-auth` ConfigMap as a mapping source: its `mapRoles`, `mapUsers`
 * and `mapAccounts`, looked up in the Go authenticator's order.
 *
 * @module
 */
import { lookupEntry } from '../mapping/lookup.js';
import { awsAuthNearMisses } from './near-misses.js';
import type { IdentitySource } from '../mapping/source.js';
import type { AwsAuth } from '../mapping/types.js';

/** A parsed `aws-auth` as a source (SPEC 4.2), with its near misses for `explainIdentity`. */
export function awsAuthSource(awsAuth: AwsAuth): IdentitySource {
  return {
    // The ConfigMap mapper matches with strings.EqualFold.
    lookup: (caller, options) => lookupEntry(awsAuth, caller, options, true),
    nearMisses: (caller) => awsAuthNearMisses(awsAuth, caller),
  };
}
