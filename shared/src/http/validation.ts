import type * as z from 'zod/mini';
import { HttpProblem } from './problem';

export interface FieldError {
  /** JSON Pointer (RFC 6901) to the offending field, "" for the whole document. */
  pointer: string;
  message: string;
}

export function toFieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    pointer: issue.path.length === 0 ? '' : `/${issue.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
    message: issue.message,
  }));
}

function describe(errors: FieldError[]): string {
  return errors.map((e) => (e.pointer ? `${e.pointer}: ${e.message}` : e.message)).join('; ');
}

/** Parses `value` with `schema`, or throws a problem naming every offending field. */
export function parseOrProblem<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  status: 400 | 422,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = toFieldErrors(result.error);
  throw new HttpProblem(status, `Invalid ${what}: ${describe(errors)}`, { errors });
}
