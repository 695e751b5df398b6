/**
 * `npx tsx bench/docs.ts`: refills the measured tables of docs/performance.md (between its
 * `<!-- table:name -->` markers) from bench/results/*.json, so the page shows one run's figures.
 * The prose around them quotes figures too: read it again after a new run.
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
const file = path.join(REPO_ROOT, 'docs', 'performance.md');
let doc = readFileSync(file, 'utf8');
for (const [name, table] of Object.entries(tables)) {
  const marker = new RegExp(`(<!-- table:${name}\\b[^>]*-->\\n)[\\s\\S]*?(\\n<!-- /table:${name} -->)`);
  if (!marker.test(doc)) throw new Error(`docs/performance.md has no <!-- table:${name} --> marker`);
  doc = doc.replace(marker, (_m, open: string, close: string) => `${open}${table}${close}`);
}
writeFileSync(file, doc);
console.log(`docs/performance.md: ${Object.keys(tables).join(', ')} filled from bench/results (${cold.generatedAt})`);
