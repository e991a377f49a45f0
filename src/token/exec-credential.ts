/**
 * The `ExecCredential` object a kubectl exec credential plugin prints, as
 * `aws eks get-token` prints it (SPEC 3.2), for a token and its expiry.
 * `format-exec-credential.ts` is the public door, which also takes a token
 * string; the `token` command calls {@link execCredentialOf} directly so its
 * start-up never loads the token parser.
 *
 * @module
 */
import { readEnv } from '../util/env.js';
import { EXEC_CREDENTIAL_LIFETIME_SECONDS } from './constants.js';

const API_GROUP = 'client.authentication.k8s.io';
const V1 = `${API_GROUP}/v1`;
const V1BETA1 = `${API_GROUP}/v1beta1`;
const V1ALPHA1 = `${API_GROUP}/v1alpha1`;

/**
 * A Kubernetes `ExecCredential` (`client.authentication.k8s.io`). Its keys are
 * in the order `aws eks get-token` prints them, so `JSON.stringify` of it is
 * what a kubectl exec plugin writes to stdout.
 */
export interface ExecCredential {
  /** Always `ExecCredential`. */
  kind: 'ExecCredential';
  /** The version negotiated from `KUBERNETES_EXEC_INFO`. */
  apiVersion:
    | 'client.authentication.k8s.io/v1'
    | 'client.authentication.k8s.io/v1beta1'
    | 'client.authentication.k8s.io/v1alpha1';
  /** Always empty in a plugin's output. */
  spec: Record<string, never>;
  /** The credential. */
  status: {
    /** When kubectl must ask again: `YYYY-MM-DDTHH:MM:SSZ`, in UTC. */
    expirationTimestamp: string;
    /** The bearer token. */
    token: string;
  };
}

/** Options of `formatExecCredential`. */
export interface FormatExecCredentialOptions {
  /**
   * The `KUBERNETES_EXEC_INFO` JSON that kubectl passes to exec plugins; its
   * `apiVersion` picks the output's. An empty string counts as absent.
   * @default the `KUBERNETES_EXEC_INFO` environment variable
   */
  execInfo?: string | undefined;
  /**
   * Receives warnings (a deprecated or unreadable `apiVersion`): what
   * `aws eks get-token` prints to stderr. Nothing is ever written to the
   * console.
   * @default warnings are dropped
   */
  onWarning?: ((message: string) => void) | undefined;
}

/**
 * The `ExecCredential` for a generated token (`token` and `expiresAt`).
 * `apiVersion` is negotiated as `aws eks get-token` does: `v1` and `v1beta1`
 * are echoed, `v1alpha1` is echoed with a deprecation warning, no exec info
 * gives `v1beta1`, and unreadable JSON or an unknown version gives
 * `v1beta1` with a warning.
 *
 * Bad arguments throw a `TypeError`.
 */
export function execCredentialOf(
  // What a GeneratedToken carries; spelled out, since generate.ts imports this module.
  generated: { token: string; expiresAt: Date },
  options: FormatExecCredentialOptions = {},
): ExecCredential {
  if (typeof generated !== 'object' || generated === null) {
    throw new TypeError('formatExecCredential expects a token string or a generated token');
  }
  const { token, expiresAt } = generated;
  if (typeof token !== 'string' || token === '') {
    throw new TypeError('token must be a non-empty string');
  }
  if (!isExpirationDate(expiresAt)) {
    throw new TypeError('expiresAt must be a valid Date between years 0 and 9999');
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('formatExecCredential options must be an object');
  }
  const { execInfo, onWarning } = options;
  if (execInfo !== undefined && typeof execInfo !== 'string') {
    throw new TypeError('options.execInfo must be the KUBERNETES_EXEC_INFO JSON string');
  }
  if (onWarning !== undefined && typeof onWarning !== 'function') {
    throw new TypeError('options.onWarning must be a function');
  }
  const warn = onWarning ?? (() => {});
  return {
    kind: 'ExecCredential',
    apiVersion: negotiateApiVersion(execInfo ?? readEnv('KUBERNETES_EXEC_INFO'), warn),
    spec: {},
    status: { expirationTimestamp: formatTimestamp(expiresAt), token },
  };
}

function negotiateApiVersion(
  execInfo: string | undefined,
  warn: (message: string) => void,
): ExecCredential['apiVersion'] {
  // kubectl before 1.20 did not always set KUBERNETES_EXEC_INFO; such
  // clients understand v1beta1.
  if (execInfo === undefined || execInfo === '') return V1BETA1;
  let parsed: unknown;
  try {
    parsed = JSON.parse(execInfo);
  } catch {
    warn(`Error parsing KUBERNETES_EXEC_INFO: it is not valid JSON; using ${V1BETA1}`);
    return V1BETA1;
  }
  const apiVersion =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as { apiVersion?: unknown }).apiVersion
      : undefined;
  if (apiVersion === V1 || apiVersion === V1BETA1) return apiVersion;
  if (apiVersion === V1ALPHA1) {
    warn(
      `Kubeconfig user entry is using deprecated API version ${V1ALPHA1}; ` +
        `run 'aws eks update-kubeconfig' (or set apiVersion ${V1BETA1} or ${V1}) to update`,
    );
    return V1ALPHA1;
  }
  warn(
    `Error parsing KUBERNETES_EXEC_INFO: unrecognized apiVersion ${describeValue(apiVersion)}; ` +
      `using ${V1BETA1}`,
  );
  return V1BETA1;
}

/**
 * The `expirationTimestamp` of a token signed at `signedAt` (its
 * `X-Amz-Date`): 14 minutes later, one minute before STS stops accepting
 * it, as `aws eks get-token` writes. The one place the package computes it:
 * `generateToken`, `formatExecCredential` of a string and the `token`
 * command's cache all agree.
 */
export function execCredentialExpiry(signedAt: Date): Date {
  return new Date(signedAt.getTime() + EXEC_CREDENTIAL_LIFETIME_SECONDS * 1000);
}

/** True for a Date `expirationTimestamp` can write: it has a four-digit year. */
export function isExpirationDate(date: unknown): date is Date {
  return (
    date instanceof Date &&
    !Number.isNaN(date.getTime()) &&
    date.getUTCFullYear() >= 0 &&
    date.getUTCFullYear() <= 9999
  );
}

/** `YYYY-MM-DDTHH:MM:SSZ`: RFC 3339 in UTC without fractional seconds, as awscli writes it. */
function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
