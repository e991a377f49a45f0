/**
 * Caching what is derived from an input (a lookup index, a list of sources)
 * only while the input cannot change. Parse results are deeply frozen, so an
 * index of one is built once; an object that can still change (a parse
 * result written to JSON and read back, a look-alike built by hand) is
 * indexed afresh on every call, so removing an entry from it always revokes.
 *
 * @module
 */

/** Objects already found frozen all the way down: they stay so, freezing cannot be undone. */
const deeplyFrozen = new WeakSet<object>();

/**
 * True if `value` and every object reachable through its own enumerable
 * properties is frozen. Walked without recursion and each object once, so
 * the cost is linear in the value whatever its depth or sharing; a value
 * found frozen is remembered.
 */
export function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const seen = new Set<object>();
  const pending: object[] = [value];
  while (pending.length > 0) {
    const next = pending.pop() as object;
    if (seen.has(next) || deeplyFrozen.has(next)) continue;
    if (!Object.isFrozen(next)) return false;
    seen.add(next);
    for (const child of Object.values(next)) {
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  // Everything reachable from a deeply frozen value is deeply frozen too.
  for (const object of seen) deeplyFrozen.add(object);
  return true;
}

/**
 * What `build` derives from `input`: cached in `cache` when `input` is
 * deeply frozen (so it can never go stale), built afresh on each call
 * otherwise.
 */
export function derivedWhileFrozen<K extends object, V>(
  cache: WeakMap<K, V>,
  input: K,
  build: (input: K) => V,
): V {
  const cached = cache.get(input);
  if (cached !== undefined) return cached;
  const built = build(input);
  if (isDeepFrozen(input)) cache.set(input, built);
  return built;
}
