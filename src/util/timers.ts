/**
 * Two facts about time every timeout in the package relies on: the longest
 * delay `setTimeout` honours, and a clock for durations that the wall
 * clock's jumps (NTP, a changed date) do not bend.
 *
 * @module
 */

/**
 * The longest delay `setTimeout` honours: above 2^31 - 1 ms it fires at once
 * (Node, browsers and Deno alike), so a longer timeout would be none at all.
 */
export const MAX_TIMEOUT_MS: number = 2 ** 31 - 1;

/**
 * Milliseconds on a monotonic clock (`performance.now()` where the runtime
 * has it, else `Date.now()`): for measuring durations, never for dates.
 */
export const monotonicClock: () => number =
  typeof globalThis.performance?.now === 'function'
    ? () => globalThis.performance.now()
    : () => Date.now();
