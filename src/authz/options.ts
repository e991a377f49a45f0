/**
 * The options of `authorize`, `listPermissions` and `whoCan`, checked and
 * their sources parsed once per call: the identity sources through
 * `resolve/` (the one door), and the RBAC snapshot.
 *
 * @module
 */
import { prepareResolve } from '../resolve/resolve.js';
import type { PreparedResolve } from '../resolve/resolve.js';
import { parseRbac } from './rbac/parse.js';
import type { Rbac } from './rbac/types.js';
import type { ResolveIdentityOptions } from '../resolve/types.js';
import type { AuthorizeOptions } from './types.js';

/** What one call works from. */
export interface PreparedAuthz {
  /** The identity options, as given (without `rbac`). */
  readonly identityOptions: ResolveIdentityOptions;
  /** The identity sources and the authentication mode. */
  readonly resolve: PreparedResolve;
  /** The RBAC snapshot evaluated. */
  readonly rbac: Rbac;
  /** False when `options.rbac` was absent (only Kubernetes' defaults are evaluated). */
  readonly rbacGiven: boolean;
}

/** True for a `parseRbac` result rather than an input to it. */
function isParsedRbac(value: unknown): value is Rbac {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    Array.isArray(v['clusterRoles']) &&
    Array.isArray(v['roles']) &&
    Array.isArray(v['clusterRoleBindings']) &&
    Array.isArray(v['roleBindings']) &&
    Array.isArray(v['diagnostics'])
  );
}

// Kubernetes' default roles and bindings, parsed once, for calls without RBAC objects.
let defaultsOnly: Rbac | undefined;

/**
 * Check the options and parse what they carry.
 *
 * @param api - the public function asked, for messages.
 * @throws `TypeError` for bad options; the parsers' errors for unusable
 *   sources (`RbacError` for RBAC input that is not YAML or JSON).
 */
export function prepareAuthz(options: AuthorizeOptions, api: string): PreparedAuthz {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${api}: options must be an object`);
  }
  const { rbac, ...resolveOptions } = options;
  return {
    identityOptions: resolveOptions,
    resolve: prepareResolve(resolveOptions, api),
    rbac:
      rbac === undefined
        ? (defaultsOnly ??= parseRbac([]))
        : isParsedRbac(rbac)
          ? rbac
          : parseRbac(rbac),
    rbacGiven: rbac !== undefined,
  };
}
