import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';

export interface SizeShare {
  name: string;
  bytes: number;
}

export interface BundleInfo {
  /** The JavaScript file Lambda would load. */
  file: string;
  /** Its size on disk (the source map, if any, is separate and not loaded unless asked for). */
  bytes: number;
  mapBytes: number;
  /** Bytes in the output per npm package (or `project:<folder>` for the repository's own code), largest first. */
  packages: SizeShare[];
  /** Bytes in the output per input file, largest first. */
  inputs: SizeShare[];
}

/** `node_modules/@aws-sdk/client-dynamodb/dist-es/x.js` -> `@aws-sdk/client-dynamodb`; own code -> `project:<top folder>`. */
export function packageOf(input: string): string {
  const normalized = input.replace(/\\/g, '/');
  const index = normalized.lastIndexOf('node_modules/');
  if (index >= 0) {
    const parts = normalized.slice(index + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const own = normalized.replace(/^(\.\.\/)+/, '').split('/');
  return `project:${own[0] === 'services' || own[0] === 'shared' ? own.slice(0, 2).join('/') : own[0]}`;
}

/** Per-package and per-file shares of one output of a metafile. */
export function analyseOutput(metafile: Metafile, output: string): Pick<BundleInfo, 'packages' | 'inputs'> {
  const out = metafile.outputs[output];
  if (!out) throw new Error(`${output} is not in the metafile (outputs: ${Object.keys(metafile.outputs).join(', ')})`);
  const byPackage = new Map<string, number>();
  const inputs: SizeShare[] = [];
  for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
    if (bytesInOutput === 0) continue;
    inputs.push({ name: input.replace(/^(\.\.\/)+/, ''), bytes: bytesInOutput });
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const largestFirst = (a: SizeShare, b: SizeShare) => b.bytes - a.bytes || a.name.localeCompare(b.name);
  return {
    packages: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort(largestFirst),
    inputs: inputs.sort(largestFirst),
  };
}

/** Bundles one entry with `options` into `outDir`, from `workingDir` (serverless-esbuild runs in the service folder). */
export async function bundle(entry: string, options: BuildOptions, outDir: string, workingDir: string): Promise<BundleInfo> {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    ...options,
    entryPoints: [entry],
    outdir: outDir,
    absWorkingDir: workingDir,
    metafile: true,
    write: true,
    logLevel: 'silent',
  });
  const output = Object.keys(result.metafile.outputs).find((name) => result.metafile.outputs[name]!.entryPoint !== undefined && !name.endsWith('.map'));
  if (!output) throw new Error(`esbuild produced no entry output for ${entry}`);
  const file = path.resolve(workingDir, output);
  const map = `${file}.map`;
  let mapBytes = 0;
  try {
    mapBytes = statSync(map).size;
  } catch {
    // No source map for this variant.
  }
  return { file, bytes: statSync(file).size, mapBytes, ...analyseOutput(result.metafile, output) };
}
