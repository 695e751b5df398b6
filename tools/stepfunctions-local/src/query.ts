import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { JSONPath } from 'jsonpath-plus';
import { IntrinsicFailure, evaluateIntrinsic } from './intrinsics';

/**
 * The two query languages of Amazon States Language as the interpreter (interpreter.ts) uses
 * them: JSONata `{% %}` templates with `$states` and workflow variables, and JSONPath with
 * `$`-prefixed variable references (`$name.path`) beside `$` (the input) and `$$` (the context).
 */

type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A States error: `name` is matched by Retry/Catch, `message` is the cause. */
export class StatesError extends Error {
  /** States.Runtime is neither retried nor caught; everything else is. */
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;
  constructor(
    name: string,
    cause: string,
    /** For States.QueryEvaluationError: the field that failed, e.g. `Output/result`. */
    readonly location?: string,
  ) {
    super(cause);
    this.name = name;
    this.isRetryable = name !== 'States.Runtime';
    this.isCatchable = name !== 'States.Runtime';
  }
}

const queryError = (cause: string, location: string) => new StatesError('States.QueryEvaluationError', cause, location);
export const runtimeError = (cause: string) => new StatesError('States.Runtime', cause);

// ---------------------------------------------------------------- variables

/**
 * Workflow variables. The top level has one scope; each Parallel branch and Map iteration has
 * its own, which reads the outer ones (a Distributed Map's does not) and never writes them.
 */
export class Scope {
  private readonly values = new Map<string, unknown>();
  constructor(private readonly parent?: Scope) {}

  get(name: string): unknown {
    if (this.values.has(name)) return this.values.get(name);
    return this.parent?.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name) || (this.parent?.has(name) ?? false);
  }

  /** All names visible here (inner values shadow outer ones): the bindings of a JSONata expression. */
  bindings(): Json {
    const outer = this.parent?.bindings() ?? {};
    return Object.assign(outer, Object.fromEntries(this.values));
  }

  /** Sets every variable at once: an Assign block sees only the values from before it. */
  assign(values: Json): void {
    for (const [name, value] of Object.entries(values)) this.values.set(name, value);
  }
}

// ---------------------------------------------------------------- JSONata

export interface StatesVar {
  input: unknown;
  context: unknown;
  result?: unknown;
  errorOutput?: unknown;
}

const TEMPLATE = /^\{%([\s\S]*)%\}$/u;
const compiled = new Map<string, jsonata.Expression>();

/** The expression inside a `{% %}` string, or undefined for any other value. */
export function templateOf(value: unknown): string | undefined {
  return typeof value === 'string' ? TEMPLATE.exec(value)?.[1] : undefined;
}

export function compileJsonata(expression: string): jsonata.Expression {
  let expr = compiled.get(expression);
  if (!expr) {
    expr = jsonata(expression);
    registerStepFunctionsFunctions(expr);
    if (compiled.size > 2048) compiled.clear();
    compiled.set(expression, expr);
  }
  return expr;
}

/** The functions Step Functions adds to JSONata ($eval is not offered there; $parse replaces it). */
function registerStepFunctionsFunctions(expr: jsonata.Expression): void {
  expr.registerFunction('partition', (array: unknown[], size: number) => {
    const out: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
    return out;
  });
  expr.registerFunction('range', (start: number, end: number, step: number) => {
    const out: number[] = [];
    for (let n = start; step > 0 ? n <= end : n >= end; n += step) out.push(n);
    return out;
  });
  expr.registerFunction('hash', (data: string, algorithm: string) => {
    const name = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' }[algorithm];
    if (!name) throw new Error(`$hash: unsupported algorithm '${algorithm}'`);
    return createHash(name).update(data).digest('hex');
  });
  expr.registerFunction('random', () => Math.random());
  expr.registerFunction('uuid', () => randomUUID());
  expr.registerFunction('parse', (text: string) => JSON.parse(text) as unknown);
  expr.registerFunction('eval', () => {
    throw new Error('$eval is not available in Step Functions; use $parse');
  });
}

/**
 * Evaluates a JSONata value: every `{% %}` string in it (at any depth) is an expression over
 * `$states` and the variables; other values are literals. `location` names the field in errors
 * the way AWS does (`Output/result`).
 */
export async function evaluateJsonata(value: unknown, states: StatesVar, scope: Scope, location: string): Promise<unknown> {
  const expression = templateOf(value);
  if (expression !== undefined) {
    let result: unknown;
    try {
      result = await compileJsonata(expression).evaluate(undefined, { ...scope.bindings(), states });
    } catch (error) {
      // AWS's wording, with jsonata's error code (recorded: "... threw an error during evaluation. T1006: Attempted to invoke a non-function").
      const { code, message } = error as { code?: string; message?: string };
      const detail = `${code ? `${code}: ` : ''}${message ?? String(error)}`;
      throw queryError(`The JSONata expression '${expression.trim()}' specified for the field '${location}' threw an error during evaluation. ${detail}`, location);
    }
    if (result === undefined) {
      throw queryError(`The JSONata expression '${expression.trim()}' specified for the field '${location}' returned nothing (undefined).`, location);
    }
    return toJson(result);
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, item] of value.entries()) out.push(await evaluateJsonata(item, states, scope, `${location}[${i}]`));
    return out;
  }
  if (isObject(value)) {
    const out: Json = {};
    for (const [key, item] of Object.entries(value)) out[key] = await evaluateJsonata(item, states, scope, `${location}/${key}`);
    return out;
  }
  return value;
}

/** JSONata results may carry sequence flags and functions; state data is plain JSON. */
function toJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

// ---------------------------------------------------------------- JSONPath

/** A reference to a variable (`$name`, `$name.field`), as opposed to `$`, `$.x`, `$[0]` or `$$`. */
export const VARIABLE_PATH = /^\$([A-Za-z_][\w]*)(.*)$/su;

/**
 * Reads a JSONPath: `$...` from the input, `$$...` from the context object, `$name...` from a
 * variable. A path that selects nothing fails the state (States.Runtime), as on AWS.
 */
export function queryPath(path: string, input: unknown, context: unknown, scope: Scope, allowMissing = false): unknown {
  let root: unknown;
  let rest: string;
  if (path.startsWith('$$')) {
    root = context;
    rest = path.slice(1);
  } else {
    const variable = VARIABLE_PATH.exec(path);
    if (variable) {
      const [, name = '', tail = ''] = variable;
      if (!scope.has(name)) {
        if (allowMissing) return undefined;
        throw runtimeError(`The JSONPath '${path}' could not be evaluated: the variable '${name}' is not defined`);
      }
      root = scope.get(name);
      rest = `$${tail}`;
    } else {
      root = input;
      rest = path;
    }
  }
  const value = rest === '$' ? root : (JSONPath({ path: rest, json: root as object, wrap: false }) as unknown);
  if (value === undefined && !allowMissing) {
    throw runtimeError(`The JSONPath '${path}' could not be found in the input '${JSON.stringify(input)}'`);
  }
  return value;
}

/** A `key.$` value: a path (`$`, `$$`, `$variable`) or an intrinsic function call. */
export function selectValue(value: string, input: unknown, context: unknown, scope: Scope): unknown {
  if (value.startsWith('$')) return queryPath(value, input, context, scope);
  try {
    return evaluateIntrinsic(value, (path) => queryPath(path, input, context, scope));
  } catch (error) {
    if (error instanceof IntrinsicFailure) throw new StatesError(error.name, error.message);
    throw error;
  }
}

/** Parameters, ResultSelector, ItemSelector and JSONPath Assign: `key.$` entries are paths or intrinsic functions, the rest literals. */
export function payloadTemplate(template: unknown, input: unknown, context: unknown, scope: Scope): unknown {
  if (Array.isArray(template)) return template.map((item) => payloadTemplate(item, input, context, scope));
  if (!isObject(template)) return template;
  const out: Json = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      out[key.slice(0, -2)] = selectValue(value, input, context, scope);
    } else {
      out[key] = payloadTemplate(value, input, context, scope);
    }
  }
  return out;
}

/** ResultPath: where the result goes in the raw input (`null` discards it, `$` replaces the input). */
export function applyResultPath(path: string | null | undefined, rawInput: unknown, result: unknown): unknown {
  if (path === undefined || path === '$') return result;
  if (path === null) return rawInput;
  if (!isObject(rawInput)) {
    throw new StatesError('States.ResultPathMatchFailure', `Unable to apply ResultPath '${path}' to input '${JSON.stringify(rawInput)}'`);
  }
  const out = structuredClone(rawInput);
  const segments = path.replace(/^\$\.?/u, '').split('.').filter(Boolean);
  let target: Json = out;
  segments.slice(0, -1).forEach((segment) => {
    if (!isObject(target[segment])) target[segment] = {};
    target = target[segment] as Json;
  });
  const last = segments[segments.length - 1];
  if (last !== undefined) target[last] = result;
  return out;
}

// ---------------------------------------------------------------- JSONPath Choice rules

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/u;

type Compare = (a: unknown, b: unknown) => boolean;
const str = (f: (a: string, b: string) => boolean): Compare => (a, b) => typeof a === 'string' && typeof b === 'string' && f(a, b);
const num = (f: (a: number, b: number) => boolean): Compare => (a, b) => typeof a === 'number' && typeof b === 'number' && f(a, b);
const time = (f: (a: number, b: number) => boolean): Compare => (a, b) =>
  typeof a === 'string' && typeof b === 'string' && TIMESTAMP.test(a) && TIMESTAMP.test(b) && f(Date.parse(a), Date.parse(b));

const COMPARISONS: Record<string, Compare> = {
  StringEquals: str((a, b) => a === b),
  StringLessThan: str((a, b) => a < b),
  StringGreaterThan: str((a, b) => a > b),
  StringLessThanEquals: str((a, b) => a <= b),
  StringGreaterThanEquals: str((a, b) => a >= b),
  NumericEquals: num((a, b) => a === b),
  NumericLessThan: num((a, b) => a < b),
  NumericGreaterThan: num((a, b) => a > b),
  NumericLessThanEquals: num((a, b) => a <= b),
  NumericGreaterThanEquals: num((a, b) => a >= b),
  BooleanEquals: (a, b) => typeof a === 'boolean' && a === b,
  TimestampEquals: time((a, b) => a === b),
  TimestampLessThan: time((a, b) => a < b),
  TimestampGreaterThan: time((a, b) => a > b),
  TimestampLessThanEquals: time((a, b) => a <= b),
  TimestampGreaterThanEquals: time((a, b) => a >= b),
  StringMatches: str((a, pattern) => wildcard(pattern).test(a)),
};

function wildcard(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i] ?? '');
    else if (c === '*') source += '.*';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'su');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** A JSONPath choice rule (with And/Or/Not); `Variable` and `...Path` operands may name variables. */
export function testChoiceRule(rule: Json, input: unknown, context: unknown, scope: Scope): boolean {
  if (Array.isArray(rule['And'])) return rule['And'].every((r) => testChoiceRule(r as Json, input, context, scope));
  if (Array.isArray(rule['Or'])) return rule['Or'].some((r) => testChoiceRule(r as Json, input, context, scope));
  if (isObject(rule['Not'])) return !testChoiceRule(rule['Not'], input, context, scope);
  const variable = String(rule['Variable']);
  if ('IsPresent' in rule) return (queryPath(variable, input, context, scope, true) !== undefined) === rule['IsPresent'];
  const value = queryPath(variable, input, context, scope);
  if ('IsNull' in rule) return (value === null) === rule['IsNull'];
  if ('IsNumeric' in rule) return (typeof value === 'number') === rule['IsNumeric'];
  if ('IsString' in rule) return (typeof value === 'string') === rule['IsString'];
  if ('IsBoolean' in rule) return (typeof value === 'boolean') === rule['IsBoolean'];
  if ('IsTimestamp' in rule) return (typeof value === 'string' && TIMESTAMP.test(value)) === rule['IsTimestamp'];
  for (const [operator, compare] of Object.entries(COMPARISONS)) {
    if (operator in rule) return compare(value, rule[operator]);
    const byPath = rule[`${operator}Path`];
    if (typeof byPath === 'string') return compare(value, queryPath(byPath, input, context, scope));
  }
  throw runtimeError(`Unsupported choice rule: ${JSON.stringify(rule)}`);
}
