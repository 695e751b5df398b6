/**
 * Which states undo earlier work. The saga names them by convention (Release*, Refund*,
 * MarkOrderFailed); another workflow passes its own patterns (`--compensation` or
 * SAGA_COMPENSATION_STATES, comma-separated globs).
 */
export type CompensationRule = (stateName: string) => boolean;

export const DEFAULT_COMPENSATION_PATTERNS = ['Release*', 'Refund*', 'MarkOrderFailed'] as const;

/** `Release*` -> /^Release.*$/: a glob is easier to pass on a command line than a regex. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/gu, '\\$&').replace(/\*/gu, '.*').replace(/\?/gu, '.');
  return new RegExp(`^${escaped}$`, 'u');
}

export function compensationRule(patterns: readonly string[] = DEFAULT_COMPENSATION_PATTERNS): CompensationRule {
  const regexps = patterns.map((p) => p.trim()).filter(Boolean).map(globToRegExp);
  return (stateName) => regexps.some((re) => re.test(stateName));
}

/** `"Release*, Undo*"` -> `['Release*', 'Undo*']`; undefined or blank keeps the defaults. */
export function parsePatterns(value: string | undefined): string[] | undefined {
  const list = value?.split(',').map((p) => p.trim()).filter(Boolean);
  return list && list.length > 0 ? list : undefined;
}
