/**
 * Builds a schema now, exactly as writing `build()` out would. Every use is written
 * `/* @__PURE__ *\/ schema(() => ...)`, which tells esbuild the call has no side effects: a
 * function that never reads a schema does not build it at cold start (zod 4 classic spends tens of
 * microseconds to milliseconds per schema, and each function reads a few of the contracts; see
 * docs/performance.md). A schema that is read is built at module load as before: nothing moves to
 * the first invocation. (esbuild honours `@__NO_SIDE_EFFECTS__` only within one file, hence the
 * annotation at each call.)
 */
export function schema<T>(build: () => T): T {
  return build();
}
