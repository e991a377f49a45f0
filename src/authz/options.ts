/**
 * The options of `authorize`, `listPermissions` and `whoCan`, checked and
 * their sources parsed once per call: the identity sources through
 * `resolve/` (the one door), and the RBAC snapshot.
 *
 * @module
 */
import { prepareResolve } from '../resolve/resolve.js';
import type { PreparedResolve } from '../resolve/resolve.js';
import type { Rbac } from './rbac/types.js';
import type { AuthorizeOptions } from './types.js';

/** What one call works from. */
export interface PreparedAuthz {
  /** The identity sources and the authentication mode. */
  readonly resolve: PreparedResolve;
  /** The RBAC snapshot evaluated. */
  readonly rbac: Rbac;
  /** False when `options.rbac` was absent (only Kubernetes' defaults are evaluated). */
  readonly rbacGiven: boolean;
}

const NO_RBAC: Rbac = Object.freeze({
  clusterRoles: Object.freeze([]),
  roles: Object.freeze([]),
  clusterRoleBindings: Object.freeze([]),
  roleBindings: Object.freeze([]),
  diagnostics: Object.freeze([]),
});

/**
 * Check the options and parse what they carry.
 *
 * @throws `TypeError` for bad options; the parsers' errors for unusable sources.
 */
export function prepareAuthz(options: AuthorizeOptions): PreparedAuthz {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object');
  }
  const { rbac, ...resolveOptions } = options;
  return {
    resolve: prepareResolve(resolveOptions),
    rbac: rbac ?? NO_RBAC,
    rbacGiven: rbac !== undefined,
  };
}
