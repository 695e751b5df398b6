import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

/**
 * A service's serverless.yml as written, for tests and tools that check what it says (a param's
 * value per stage, a statement's actions) rather than what it packages to. Its includes are
 * inlined the way the framework inlines them: `${file(x.yml)}` and `${file(x.yml):a.b}` (paths
 * relative to the service folder), JS includes (a function is called with the configuration as
 * written, as shared/serverless/merge.js expects), and a `resources` list is merged into one
 * object. Every other variable (`${param:...}`, `${sls:stage}`, an include whose path or address
 * holds a variable) stays as written.
 */

/** CloudFormation short forms (!Ref, !GetAtt, ...), kept as data in their long form. */
const CFN_TAGS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'ImportValue', 'GetAZs', 'Base64', 'Cidr'];
const CFN_SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  CFN_TAGS.flatMap((tag) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) => new yaml.Type(`!${tag}`, { kind, construct: (data: unknown) => ({ [tag === 'Ref' || tag === 'Condition' ? tag : `Fn::${tag}`]: data }) }),
    ),
  ),
);

export type ServerlessDoc = Record<string, unknown>;

export function parseServerlessYaml(text: string): ServerlessDoc {
  return yaml.load(text, { schema: CFN_SCHEMA }) as ServerlessDoc;
}

/** serverless.yml of `serviceDir`, its includes inlined. */
export function readServerlessConfig(serviceDir: string): ServerlessDoc {
  const written = parseServerlessYaml(readFileSync(path.join(serviceDir, 'serverless.yml'), 'utf8'));
  const config = inline(written, { serviceDir, written }) as ServerlessDoc;
  for (const key of ['resources', 'functions']) {
    // The framework merges a list of objects here (each usually one ${file(...)}).
    if (Array.isArray(config[key])) config[key] = (config[key] as unknown[]).reduce<Record<string, unknown>>((all, part) => deepMerge(all, part), {});
  }
  return config;
}

interface Context {
  serviceDir: string;
  /** serverless.yml as written: what a JS include's resolveConfigurationProperty reads. */
  written: ServerlessDoc;
}

/** `${file(path)}` or `${file(path):address}` with no variable inside, and nothing around it. */
const INCLUDE = /^\$\{file\(([^()${}]+)\)(?::([^${}]+))?\}$/;

function inline(value: unknown, ctx: Context): unknown {
  if (Array.isArray(value)) return value.map((item) => inline(item, ctx));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, inline(item, ctx)]));
  }
  if (typeof value !== 'string') return value;
  const include = INCLUDE.exec(value.trim());
  if (!include) return value;
  const included = load(path.resolve(ctx.serviceDir, include[1]!.trim()), include[2]?.trim(), ctx);
  return included === undefined ? value : inline(included, ctx);
}

function load(file: string, address: string | undefined, ctx: Context): unknown {
  if (/\.ya?ml$/.test(file)) return lookup(parseServerlessYaml(readFileSync(file, 'utf8')), address);
  if (/\.c?js$/.test(file)) {
    const loaded = lookup(require(file) as unknown, address);
    if (typeof loaded !== 'function') return loaded;
    const result = (loaded as (api: unknown) => unknown)({
      options: {},
      resolveConfigurationProperty: (keys: string[]) => lookup(ctx.written, keys.join('.')),
    });
    return result instanceof Promise ? undefined : result;
  }
  return undefined;
}

function lookup(node: unknown, address: string | undefined): unknown {
  if (!address) return node;
  return address.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), node);
}

function deepMerge(into: Record<string, unknown>, from: unknown): Record<string, unknown> {
  if (from === null || typeof from !== 'object' || Array.isArray(from)) return into;
  for (const [key, value] of Object.entries(from)) {
    const current = into[key];
    const bothObjects = [current, value].every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    into[key] = bothObjects ? deepMerge({ ...(current as Record<string, unknown>) }, value) : value;
  }
  return into;
}
