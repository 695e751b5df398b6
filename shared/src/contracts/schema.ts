import * as z from 'zod/mini';
import { en } from 'zod/locales';

/**
 * zod/mini registers no locale: without one, every issue that has no message of its own reads
 * "Invalid input". zod classic registers English when its first schema is built; this does the
 * same for every function that builds a schema (all of them do it through `schema()` below), so
 * messages stay what they were ("Invalid input: expected object, received array", ...). An
 * explicit `z.config()` elsewhere wins, as with classic. (~3 KiB; only English is bundled.)
 */
if (!z.config().localeError) z.config(en());

/**
 * Builds a schema now, exactly as writing `build()` out would. Every use is written
 * `/* @__PURE__ *\/ schema(() => ...)`, which tells esbuild the call has no side effects: a
 * function that never reads a schema does not build it at cold start (zod spends microseconds to
 * milliseconds per schema, and each function reads a few of the contracts; see
 * docs/performance.md). A schema that is read is built at module load as before: nothing moves to
 * the first invocation. (esbuild honours `@__NO_SIDE_EFFECTS__` only within one file, hence the
 * annotation at each call.) Importing this module is also what gives zod/mini its English
 * messages (above): build every top-level schema of Lambda code with it.
 */
export function schema<T>(build: () => T): T {
  return build();
}
