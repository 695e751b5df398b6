import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseServerlessYaml, readServerlessConfig, type ServerlessDoc } from '../../../shared/serverless/read-config';
import { REPO_ROOT, SERVICES } from './paths';

/**
 * What the benches need from the services' serverless.yml files, read the way a reader would:
 * functions, their entry files, memory and environment. Variables are resolved for a deployed
 * stage (`prod`) with the params the file declares (the shared ones included); CloudFormation
 * tags (!Ref, !GetAtt, ...) are kept as plain objects and never needed.
 */

export { parseServerlessYaml, type ServerlessDoc };

export interface ResolveContext {
  stage: string;
  region: string;
  accountId: string;
  doc: ServerlessDoc;
  /** The service folder, for `${file(...)}` of YAML files. */
  dir?: string;
}

function lookup(doc: unknown, dotted: string): unknown {
  let node: unknown = doc;
  for (const key of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** One variable source (`param:x`, `sls:stage`, `self:a.b`, `aws:region`, `'literal'`), or undefined. */
function source(expr: string, ctx: ResolveContext): unknown {
  const e = expr.trim();
  const quoted = /^['"](.*)['"]$/.exec(e);
  if (quoted) return quoted[1];
  if (/^-?\d+(\.\d+)?$/.test(e)) return e;
  const [head, ...rest] = e.split(':');
  const kind = e.startsWith('file(') ? 'file' : head;
  const name = rest.join(':');
  const params = (ctx.doc.params ?? {}) as Record<string, Record<string, unknown> | undefined>;
  switch (kind) {
    case 'param':
      return params[ctx.stage]?.[name] ?? params.default?.[name];
    case 'sls':
      return name === 'stage' ? ctx.stage : undefined;
    case 'opt':
      return name === 'stage' ? ctx.stage : name === 'region' ? ctx.region : undefined;
    case 'self':
      return lookup(ctx.doc, name);
    case 'file': {
      // file(../../shared/serverless/auth.yml):prod.mode — YAML files only.
      const match = /^file\(([^)]+)\)(?::(.+))?$/.exec(e);
      if (!match || !ctx.dir || !/\.ya?ml$/.test(match[1]!)) return undefined;
      try {
        const loaded = parseServerlessYaml(readFileSync(path.resolve(ctx.dir, match[1]!), 'utf8'));
        return match[2] ? lookup(loaded, match[2]) : loaded;
      } catch {
        return undefined;
      }
    }
    case 'aws':
      return name === 'region' ? ctx.region : name === 'accountId' ? ctx.accountId : undefined;
    default:
      return undefined;
  }
}

/** Resolves `${...}` variables (with `, fallback` sources) in a string; unresolvable ones stay. */
export function resolveVariables(value: string, ctx: ResolveContext, depth = 0): string {
  if (depth > 8) return value;
  let changed = false;
  const out = value.replace(/\$\{([^${}]+)\}/g, (whole, inner: string) => {
    for (const candidate of splitSources(inner)) {
      const resolved = source(candidate, ctx);
      if (resolved !== undefined && resolved !== null && typeof resolved !== 'object') {
        changed = true;
        return String(resolved);
      }
    }
    return whole;
  });
  return changed && out.includes('${') ? resolveVariables(out, ctx, depth + 1) : out;
}

function splitSources(inner: string): string[] {
  // `param:a, aws:accountId` or `opt:stage, 'local'`; commas inside quotes are not expected here.
  return inner.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

export interface FunctionConfig {
  service: string;
  name: string;
  /** Deployed name, `<service>-<stage>-<fn>`. */
  deployedName: string;
  /** Path of the TypeScript entry, relative to the repository. */
  entry: string;
  exportName: string;
  memorySize: number;
  timeout: number;
  architecture: string;
  environment: Record<string, string>;
  /** Event kinds that trigger it: httpApi, stream, sqs, schedule, or none (invoked by the saga). */
  triggers: string[];
}

/** Placeholder for values only known after a deploy (`${file(...)}`, CloudFormation refs). */
export const PLACEHOLDER = 'bench-placeholder';

export function functionsOf(service: string, doc: ServerlessDoc, options: { stage?: string; region?: string; accountId?: string; dir?: string } = {}): FunctionConfig[] {
  const { stage = 'prod', region = 'eu-west-1', accountId = '123456789012', dir } = options;
  const ctx: ResolveContext = { stage, region, accountId, doc, ...(dir ? { dir } : {}) };
  const provider = (doc.provider ?? {}) as Record<string, unknown>;
  const functions = (doc.functions ?? {}) as Record<string, Record<string, unknown>>;
  const num = (value: unknown, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(typeof value === 'string' ? resolveVariables(value, ctx) : value);
    return Number.isFinite(n) ? n : fallback;
  };
  const envOf = (raw: unknown): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
      if (value !== null && typeof value === 'object') {
        env[key] = PLACEHOLDER;
        continue;
      }
      const resolved = resolveVariables(String(value), ctx);
      env[key] = resolved.includes('${') ? PLACEHOLDER : resolved;
    }
    return env;
  };
  return Object.entries(functions).map(([name, fn]) => {
    const handler = String(fn.handler);
    const dot = handler.lastIndexOf('.');
    const file = handler.slice(0, dot);
    return {
      service,
      name,
      deployedName: `${service}-${stage}-${name}`,
      entry: path.posix.join('services', service, `${file}.ts`),
      exportName: handler.slice(dot + 1),
      memorySize: num(fn.memorySize, num(provider.memorySize, 1024)),
      timeout: num(fn.timeout, num(provider.timeout, 6)),
      architecture: String(fn.architecture ?? provider.architecture ?? 'x86_64'),
      environment: { ...envOf(provider.environment), ...envOf(fn.environment) },
      triggers: ((fn.events ?? []) as Array<Record<string, unknown>>).map((event) => Object.keys(event)[0] ?? 'unknown'),
    };
  });
}

export function loadService(service: string, root = REPO_ROOT): ServerlessDoc {
  return readServerlessConfig(path.join(root, 'services', service));
}

/** Every function of every service, in service order. */
export function allFunctions(root = REPO_ROOT, stage = 'prod'): FunctionConfig[] {
  return SERVICES.flatMap((service) => functionsOf(service, loadService(service, root), { stage, dir: path.join(root, 'services', service) }));
}
