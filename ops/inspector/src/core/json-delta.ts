import { parseJson } from './execution';

/**
 * What a state changed: with ResultPath the output is the input plus the step's result, so the
 * keys that were added or changed say more than the whole document. Undefined when either side
 * is not a JSON object (then the whole output is the change).
 */
export function jsonDelta(input: string | undefined, output: string | undefined): Record<string, unknown> | undefined {
  const before = parseJson(input);
  const after = parseJson(output);
  if (!isPlainObject(before) || !isPlainObject(after)) return undefined;
  const delta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(value)) delta[key] = value;
  }
  return delta;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
