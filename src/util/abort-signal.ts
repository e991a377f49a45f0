/**
 * Option checks shared by the verification entry points.
 *
 * @module
 */

/**
 * True if `value` can be used as an `AbortSignal` (duck-typed: signals from
 * another realm or a polyfill are accepted).
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
  const signal = value as Partial<AbortSignal> | null;
  return (
    typeof value === 'object' &&
    signal !== null &&
    typeof signal.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function' &&
    typeof signal.removeEventListener === 'function'
  );
}
