import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serviceDir, type ServiceName, type StackConfig } from '../config';
import { ComponentStartError } from '../errors';
import type { Logger } from '../log';
import { ManagedProcess } from '../process/managed-process';
import { serverlessCli, serverlessEnv } from './serverless-cli';

export const TEMPLATE_FILE = path.join('.serverless', 'cloudformation-template-update-stack.json');

/** Files under a folder, recursively, sorted (build output and dependencies left out). */
function filesBelow(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name) && !/[\\/](node_modules|\.serverless|\.esbuild)([\\/]|$)/.test(entry.parentPath))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * What a template depends on: the service's config files (beside serverless.yml and under
 * resources/), the shared serverless settings and plugins, and the tool versions. Paths are
 * hashed relative to the repository, so a copy of it elsewhere reuses the cache.
 */
export function templateInputsHash(config: Pick<StackConfig, 'rootDir'>, service: ServiceName): string {
  const dir = serviceDir(config, service);
  const configFiles = readdirSync(dir)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
  const resourceFiles = filesBelow(path.join(dir, 'resources'), (name) => /\.(ya?ml|json)$/.test(name));
  const sharedFiles = filesBelow(path.join(config.rootDir, 'shared', 'serverless'), (name) => /\.(ya?ml|js)$/.test(name));
  const hash = createHash('sha256');
  for (const file of [...configFiles, ...resourceFiles, ...sharedFiles]) hash.update(path.relative(config.rootDir, file)).update(readFileSync(file));
  for (const tool of ['serverless', 'serverless-step-functions', 'serverless-esbuild']) {
    hash.update(tool).update(readFileSync(require.resolve(`${tool}/package.json`)));
  }
  return hash.digest('hex');
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

interface CacheEntry {
  inputs: string;
  template: string;
}

/**
 * Each service's packaged CloudFormation (`serverless package --stage local`, written to
 * services/<name>/.serverless/), copied to .local/templates/<name>.json at once so that a later
 * package of that service (for another stage, by someone else) cannot change it under the stack.
 * A service is packaged again only when its inputs changed. Packaging bundles every function with
 * esbuild, so it is the slow part of a first start; later starts reuse the copies.
 */
export async function packageTemplates(
  config: StackConfig,
  /** Where each service is packaged (the stack's copies, see service-mirror.ts). */
  dirs: Record<ServiceName, string>,
  logger: Logger,
  concurrency = 2,
): Promise<Record<ServiceName, string>> {
  const services = Object.keys(dirs) as ServiceName[];
  const cacheFile = path.join(config.dataDir, 'package-cache.json');
  const cache = readCache(cacheFile);
  const results = {} as Record<ServiceName, string>;
  const queue = [...services];
  const worker = async () => {
    for (let service = queue.shift(); service; service = queue.shift()) {
      const dir = dirs[service];
      if (!existsSync(path.join(dir, 'serverless.yml'))) {
        throw new ComponentStartError(`${service} service`, `services/${service}/serverless.yml does not exist`);
      }
      const copy = path.join(config.dataDir, 'templates', `${service}.json`);
      const inputs = templateInputsHash(config, service);
      const cached = cache[service];
      if (cached?.inputs === inputs && existsSync(copy) && sha(copy) === cached.template) {
        logger.debug(`${service}: packaged template is up to date (${path.relative(config.rootDir, copy)})`);
      } else {
        const startedAt = Date.now();
        logger.step(`package ${service}`, 'serverless package --stage local (first start, or its serverless.yml changed)');
        const packaged = path.join(dir, TEMPLATE_FILE);
        await runPackage(config, service, dir);
        mkdirSync(path.dirname(copy), { recursive: true });
        copyFileSync(packaged, copy);
        cache[service] = { inputs, template: sha(copy) };
        writeCache(cacheFile, cache);
        logger.ready(`package ${service}`, `serverless package --stage ${config.stage} → ${path.relative(config.rootDir, copy)}`, startedAt);
      }
      results[service] = copy;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, services.length) }, worker));
  return results;
}

async function runPackage(config: StackConfig, service: ServiceName, dir: string): Promise<void> {
  const logFile = path.join(config.logsDir, `package-${service}.log`);
  const child = ManagedProcess.start({
    name: `package ${service}`,
    command: process.execPath,
    args: [serverlessCli(), 'package', '--stage', config.stage, '--region', config.region],
    cwd: dir,
    // Packaging must not need credentials: an empty pair keeps any real ones out. Only the template
    // is wanted: the stack bundles the handlers itself (LOCAL_STACK_BUILD, see shared/serverless/plugins/local-offline.js).
    env: serverlessEnv({ AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', LOCAL_DATA_DIR: config.dataDir, LOCAL_STACK_BUILD: '1' }),
    logFile,
    echo: config.verbose ? (line) => console.log(`  [package ${service}] ${line}`) : undefined,
  });
  const exit = await child.exited;
  await child.stop();
  if (exit.code !== 0) {
    throw new ComponentStartError(`serverless package (${service})`, `exited with ${exit.code ?? exit.signal}:\n${child.recentOutput(15)}`, logFile);
  }
  if (!existsSync(path.join(dir, TEMPLATE_FILE))) {
    throw new ComponentStartError(`serverless package (${service})`, `no ${TEMPLATE_FILE} was written`, logFile);
  }
}

function readCache(file: string): Record<string, CacheEntry> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, CacheEntry>;
  } catch {
    return {};
  }
}

function writeCache(file: string, cache: Record<string, CacheEntry>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(cache, null, 2)}\n`);
}
