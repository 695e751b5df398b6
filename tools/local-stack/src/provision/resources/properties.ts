import { unresolvedIntrinsic } from '../template';

/** A string property, or an error naming it (and the intrinsic that could not be resolved). */
export function requireString(props: Record<string, unknown>, name: string): string {
  const value = props[name];
  if (typeof value === 'string' && value !== '') return value;
  const intrinsic = unresolvedIntrinsic(value);
  throw new Error(intrinsic ? `property ${name} could not be resolved: ${intrinsic}` : `property ${name} is missing or not a string`);
}

/** CloudFormation accepts numbers and booleans where SQS/SNS attributes want strings. */
export function attributeString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
