/**
 * The `--authentication-mode` flag, read the same way by every command.
 *
 * @module
 */
import type { AuthenticationMode } from '../access-entries/types.js';
import { AUTHENTICATION_MODES } from '../resolve/resolve.js';
import { UsageError } from './args.js';

/**
 * The `--authentication-mode` value as an EKS mode: any letter case, `-` for
 * `_` (`api`, `api-and-config-map`), since the AWS CLI and console spell
 * them in upper case but people type them as they like.
 *
 * @throws {@link UsageError} naming the modes when it is none of them.
 */
export function parseAuthenticationMode(value: string, usage: string): AuthenticationMode {
  const normalized = value.trim().toUpperCase().replaceAll('-', '_');
  const mode = AUTHENTICATION_MODES.find((m) => m === normalized);
  if (mode !== undefined) return mode;
  throw new UsageError(
    `--authentication-mode must be one of ${AUTHENTICATION_MODES.join(', ')} (any letter case), got ${JSON.stringify(value)}`,
    usage,
  );
}
