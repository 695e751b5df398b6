import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { serviceDir, type ServiceName, type StackConfig } from '../config';
import { ComponentStartError } from '../errors';

/** Files a service needs to package and run; tests, build output and package.json stay behind. */
const LEFT_OUT = new Set(['node_modules', '.serverless', '.esbuild', 'test', 'coverage', 'package.json']);
/** The copy's build folders survive a refresh (the rest is copied again). */
const BUILD_FOLDERS = new Set(['.serverless', '.esbuild']);

export function mirrorRoot(config: Pick<StackConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'run');
}

/**
 * Copies each service (its serverless.yml, included files and sources) and the shared serverless
 * settings to .local/run/, keeping their relative layout, and returns the copies' directories.
 *
 * `serverless package` and `serverless offline` write their bundles to the service's `.esbuild/`
 * and delete it when done; a package run by anyone else (a service's own tests package it) would
 * pull the running stack's handlers from under it. Running the stack from a copy isolates it:
 * same serverless.yml, same sources, same commands, its own build folders. The copy is made
 * afresh at every start, so it always holds the current code.
 */
export function mirrorServices(config: Pick<StackConfig, 'rootDir' | 'dataDir'>, services: readonly ServiceName[]): Record<ServiceName, string> {
  const root = mirrorRoot(config);
  const sharedServerless = path.join(config.rootDir, 'shared', 'serverless');
  if (existsSync(sharedServerless)) {
    rmSync(path.join(root, 'shared'), { recursive: true, force: true });
    cpSync(sharedServerless, path.join(root, 'shared', 'serverless'), { recursive: true });
  }
  const dirs = {} as Record<ServiceName, string>;
  for (const service of services) {
    const source = serviceDir(config, service);
    if (!existsSync(path.join(source, 'serverless.yml'))) {
      throw new ComponentStartError(`${service} service`, `${path.relative(config.rootDir, source)}/serverless.yml does not exist`);
    }
    const copy = path.join(root, 'services', service);
    if (existsSync(copy)) {
      for (const entry of readdirSync(copy)) if (!BUILD_FOLDERS.has(entry)) rmSync(path.join(copy, entry), { recursive: true, force: true });
    }
    cpSync(source, copy, {
      recursive: true,
      filter: (from) => {
        const relative = path.relative(source, from);
        return relative === '' || !LEFT_OUT.has(relative.split(path.sep)[0]!);
      },
    });
    dirs[service] = copy;
  }
  return dirs;
}
