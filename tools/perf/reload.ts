/**
 * `npm run bench:reload [-- --saves 25 --gap 250 --no-typecheck]`: how long a saved change takes
 * to answer on the local stack. Works on a scratch copy of the repository (never on your files),
 * with a stack of its own on ports from 3600. Saves an HTTP handler, a saga step, the
 * notification consumer and a shared module `--saves` times each; reports p50/p95 from the write
 * to the first answer of the new code, and the stack's RSS before and after all the saves.
 * Writes tools/perf/results/reload.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intArg, parseArgs } from './src/args';
import { RESULTS_DIR } from './src/paths';
import { reloadTable, runReloadBench } from './src/reload';

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const results = await runReloadBench({
    savesPerKind: intArg(args, 'saves', 25),
    gapMs: intArg(args, 'gap', 250),
    timeoutMs: intArg(args, 'timeout', 15_000),
    portBase: intArg(args, 'port-base', 3600),
    typecheck: !args.has('no-typecheck'),
    log: (line) => console.log(line),
  });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'reload.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nLive reload (${results.settings.savesPerKind} saves each, ${results.settings.gapMs} ms apart, type checks ${results.settings.typecheck ? 'on' : 'off'}):\n`);
  console.log(reloadTable(results));
  console.log(`\nTargets: p50 ≤ ${results.targets.p50Ms} ms, p95 ≤ ${results.targets.p95Ms} ms, ≤ ${results.targets.growthMiB} MiB growth.\nWritten: ${path.relative(process.cwd(), file)}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
