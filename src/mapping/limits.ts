/**
 * The input bound every mapping parser shares: `parseAwsAuth`,
 * `parseAccessEntries` and the Go authenticator's sources.
 *
 * @module
 */

/**
 * The longest input the mapping parsers read by default, in characters:
 * 1 MiB, the Kubernetes limit on a whole ConfigMap (and far more than any
 * access-entry list or authenticator source). Longer text is refused before
 * any of it is parsed; `maxInputLength` changes the bound. For `aws-auth`
 * object input the bound applies to the total length of the `data` strings.
 */
export const MAX_AWS_AUTH_INPUT_LENGTH: number = 1024 * 1024;

/** The option every mapping parser takes to change its input bound. */
export interface InputLimitOptions {
  /**
   * The longest text accepted, in characters (UTF-16 code units); longer
   * input is refused before it is parsed.
   *
   * @defaultValue `1048576` (1 MiB, the Kubernetes ConfigMap limit)
   */
  maxInputLength?: number;
}

/**
 * The bound `options` sets, checked.
 *
 * @throws `TypeError` when `options` is not an object or `maxInputLength` is
 * not a non-negative integer.
 */
export function maxInputLengthOf(options: unknown, fn: string): number {
  if (options === undefined) return MAX_AWS_AUTH_INPUT_LENGTH;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${fn}: options must be an object`);
  }
  const limit = (options as InputLimitOptions).maxInputLength;
  if (limit === undefined) return MAX_AWS_AUTH_INPUT_LENGTH;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(`${fn}: options.maxInputLength must be a non-negative integer`);
  }
  return limit;
}

/** Why input of `length` characters is refused under `limit`. */
export function tooLongMessage(what: string, length: number, limit: number): string {
  return `${what} is ${length} characters long, more than the ${limit} read (maxInputLength; a ConfigMap is at most 1 MiB)`;
}
