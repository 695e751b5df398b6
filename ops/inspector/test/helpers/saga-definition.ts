import path from 'node:path';
import { readServerlessConfig } from '../../../../shared/serverless/read-config';

/**
 * The order saga's real definition, read the way the framework reads it: serverless.yml includes
 * the definition file (`${file(./saga.asl.yml)}`), and `${self:...}`, `${param:...}`, `${sls:stage}`
 * and `${aws:...}` variables are resolved from serverless.yml (its shared params included) for a
 * stage. Only what the saga uses is supported; an unknown variable fails loudly rather than
 * producing a wrong definition.
 */
export interface SagaDefinitionOptions {
  stage?: string;
  region?: string;
  accountId?: string;
  /** Caps every Retry's MaxAttempts: the real 10 attempts with backoff would make tests slow. */
  maxAttempts?: number;
}

const SERVICE_DIR = path.resolve(__dirname, '../../../../services/order');

type Json = Record<string, unknown>;

export function loadSagaDefinition(options: SagaDefinitionOptions = {}): string {
  const stage = options.stage ?? 'local';
  const config = readServerlessConfig(SERVICE_DIR) as Json;
  const machines = (config['stepFunctions'] as Json | undefined)?.['stateMachines'] as Record<string, Json> | undefined;
  const definition = Object.values(machines ?? {})[0]?.['definition'];
  if (!definition || typeof definition !== 'object') throw new Error('services/order/serverless.yml: the saga definition is not an included file (${file(...)})');

  const variables = {
    stage,
    region: options.region ?? 'eu-west-1',
    accountId: options.accountId ?? '123456789012',
  };
  const resolved = resolveValue(definition as Json, (expression) => resolveVariable(expression, config, variables)) as Json;
  if (options.maxAttempts !== undefined) capRetries(resolved, options.maxAttempts);
  return JSON.stringify(resolved);
}

function resolveVariable(expression: string, config: Json, vars: { stage: string; region: string; accountId: string }): unknown {
  // `${param:accountId, aws:accountId}`: the first alternative that resolves wins.
  for (const alternative of expression.split(',').map((a) => a.trim())) {
    const value = resolveOne(alternative, config, vars);
    if (value !== undefined) return value;
  }
  throw new Error(`cannot resolve \${${expression}} in the saga definition`);
}

function resolveOne(ref: string, config: Json, vars: { stage: string; region: string; accountId: string }): unknown {
  const quoted = /^'(.*)'$/u.exec(ref);
  if (quoted) return quoted[1];
  if (ref === 'sls:stage' || ref === 'opt:stage') return vars.stage;
  if (ref === 'aws:region' || ref === 'opt:region') return vars.region;
  if (ref === 'aws:accountId') return vars.accountId;
  if (ref.startsWith('param:')) {
    const name = ref.slice('param:'.length);
    const params = (config['params'] ?? {}) as Record<string, Json>;
    const value = params[vars.stage]?.[name] ?? params['default']?.[name];
    return value === undefined ? undefined : resolveValue(value, (e) => resolveVariable(e, config, vars));
  }
  if (ref.startsWith('self:')) {
    const value = ref
      .slice('self:'.length)
      .split('.')
      .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined), config);
    return value === undefined ? undefined : resolveValue(value, (e) => resolveVariable(e, config, vars));
  }
  return undefined;
}

const VARIABLE = /\$\{([^{}]+)\}/u;

/** Replaces variables innermost first; a string that is exactly one variable takes the value's type. */
function resolveValue(value: unknown, resolve: (expression: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, resolve));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, resolveValue(v, resolve)]));
  }
  if (typeof value !== 'string') return value;
  let text = value;
  for (let match = VARIABLE.exec(text); match; match = VARIABLE.exec(text)) {
    const resolved = resolve(match[1] ?? '');
    if (match[0] === text) return resolved;
    text = text.replace(match[0], String(resolved));
  }
  return text;
}

function capRetries(node: unknown, maxAttempts: number): void {
  if (Array.isArray(node)) node.forEach((n) => capRetries(n, maxAttempts));
  else if (node && typeof node === 'object') {
    const obj = node as Json;
    if (Array.isArray(obj['Retry'])) {
      for (const retrier of obj['Retry'] as Json[]) {
        retrier['MaxAttempts'] = Math.min(Number(retrier['MaxAttempts'] ?? 3), maxAttempts);
        retrier['IntervalSeconds'] = 1;
      }
    }
    Object.values(obj).forEach((v) => capRetries(v, maxAttempts));
  }
}
