import { errors } from './errors';

/**
 * Request validation with AWS's wording ("1 validation error detected: ..."). The SDK does no
 * client-side validation, so everything a caller can get wrong is checked here.
 */
export type Body = Record<string, unknown>;

const fail = (detail: string) => errors.validation(`1 validation error detected: ${detail}`);

export function requiredString(body: Body, field: string, max = 256): string {
  const value = body[field];
  if (value === undefined || value === null) {
    throw fail(`Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return checkString(value, field, max);
}

export function optionalString(body: Body, field: string, max = 256): string | undefined {
  const value = body[field];
  return value === undefined || value === null ? undefined : checkString(value, field, max);
}

function checkString(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw errors.validation(`Invalid type for '${field}': expected a string`);
  if (value.length < 1) {
    throw fail(`Value '' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  }
  if (value.length > max) {
    throw fail(
      `Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  }
  return value;
}

export function optionalBoolean(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw errors.validation(`Invalid type for '${field}': expected a boolean`);
  return value;
}

export function optionalEnum<T extends string>(body: Body, field: string, allowed: readonly T[]): T | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw fail(
      `Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

/** maxResults: 0..1000, where 0 (or absent) means the default page size of 100. */
export function pageSize(body: Body): number {
  const value = body['maxResults'];
  if (value === undefined || value === null) return 100;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw errors.validation(`Invalid type for 'maxResults': expected an integer`);
  }
  if (value < 0) {
    throw fail(`Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  }
  if (value > 1000) {
    throw fail(`Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  return value === 0 ? 100 : value;
}

// AWS: 1-80 characters, none of whitespace, brackets, wildcards, these punctuation marks, or control characters.
const FORBIDDEN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export function checkName(name: string): string {
  if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME.test(name)) throw errors.invalidName(name);
  return name;
}
