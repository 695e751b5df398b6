/**
 * `npx tsx tools/perf/docs.ts`: refills the measured tables of docs/performance.md (every one) and of
 * README.md's performance section (those it shows), between their `<!-- table:name -->` markers,
 * from tools/perf/results/*.json, so both show one run's figures. The prose around them quotes figures
 * too: read it again after a new run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { costByServiceTable, costPathTable } from './src/docs-tables';
import { REPO_ROOT, RESULTS_DIR } from './src/paths';
import { coldStartTable, dependencyTable, hotPathTable } from './src/report';

const read = (name: string) => JSON.parse(readFileSync(path.join(RESULTS_DIR, name), 'utf8'));
const cold = read('cold-start.json');
const hot = read('hot-path.json');
const cost = read('cost.json');
const tables: Record<string, string> = {
  cold: coldStartTable(cold),
  deps: dependencyTable(cold),
  hot: hotPathTable(hot),
  costpaths: costPathTable(cost),
  costservices: costByServiceTable(cost),
};
function refill(relative: string, required: boolean): string[] {
  const file = path.join(REPO_ROOT, relative);
  let doc = readFileSync(file, 'utf8');
  const filled: string[] = [];
  for (const [name, table] of Object.entries(tables)) {
    const marker = new RegExp(`(<!-- table:${name}\\b[^>]*-->\\n)[\\s\\S]*?(\\n<!-- /table:${name} -->)`);
    if (!marker.test(doc)) {
      if (required) throw new Error(`${relative} has no <!-- table:${name} --> marker`);
      continue;
    }
    doc = doc.replace(marker, (_m, open: string, close: string) => `${open}${table}${close}`);
    filled.push(name);
  }
  writeFileSync(file, doc);
  return filled;
}

for (const [relative, required] of [['docs/performance.md', true], ['README.md', false]] as const) {
  console.log(`${relative}: ${refill(relative, required).join(', ')} filled from tools/perf/results (${cold.generatedAt})`);
}
