import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import yaml from 'js-yaml';
import { REPO_ROOT } from './paths';

/** The shared serverless-esbuild settings every service includes (custom.esbuild). */
export const COMMON_YML = path.join(REPO_ROOT, 'shared', 'serverless', 'common.yml');

/** serverless-esbuild options that are the plugin's own, never passed to esbuild (serverless-esbuild 1.57 bundle.js). */
const PLUGIN_ONLY = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'config',
  'plugins',
];

/**
 * The esbuild options serverless-esbuild derives from `custom.esbuild`, as its getBuildOptions()
 * and bundle() do: its defaults (bundle, platform node, target from the runtime, exclude
 * aws-sdk) under the settings, plugin-only keys removed, `exclude` added to `external`,
 * `outputFileExtension` turned into `outExtension`.
 */
export function serverlessEsbuildOptions(settings: Record<string, unknown>, runtime = 'nodejs22.x', serviceDir = path.join(REPO_ROOT, 'services', 'order')): BuildOptions {
  const target = /^nodejs(\d+)/.exec(runtime)?.[1];
  const merged: Record<string, unknown> = {
    bundle: true,
    platform: 'node',
    ...(target ? { target: `node${target}` } : {}),
    external: [],
    exclude: ['aws-sdk'],
    outputFileExtension: '.js',
    ...settings,
  };
  const exclude = asStrings(merged.exclude);
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(merged)) if (!PLUGIN_ONLY.includes(key)) options[key] = value;
  options.external = [...asStrings(merged.external), ...(exclude.includes('*') ? [] : exclude)];
  if (merged.outputFileExtension !== '.js') options.outExtension = { '.js': String(merged.outputFileExtension) };
  // `plugins`: a file exporting esbuild plugins, relative to the service folder, as serverless-esbuild loads it.
  if (typeof merged.plugins === 'string') options.plugins = require(path.resolve(serviceDir, merged.plugins)) as BuildOptions['plugins'];
  else if (Array.isArray(merged.plugins)) options.plugins = merged.plugins as BuildOptions['plugins'];
  return options as BuildOptions;
}

function asStrings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** The project's settings as the services build with them today (shared/serverless/common.yml). */
export function projectOptions(file = COMMON_YML): BuildOptions {
  const doc = yaml.load(readFileSync(file, 'utf8')) as { esbuild?: Record<string, unknown> };
  return serverlessEsbuildOptions(doc.esbuild ?? {});
}

/**
 * "Bundled naively": esbuild's defaults for a Node bundle and nothing else. No minify, no
 * `mainFields` (so packages resolve to their CommonJS `main`: every AWS SDK client, zod and
 * Powertools whole, nothing tree-shaken), no source maps.
 */
export function naiveOptions(): BuildOptions {
  return { bundle: true, platform: 'node', target: 'node22' };
}
