/**
 * Deep freezing of parse results.
 *
 * @module
 */

/**
 * Freeze a value and everything in it, so that a lookup index built on a
 * parse result (cached by identity) can never go stale.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
