/**
 * `npx tsx tools/perf/docs.ts`: refills the measured tables of docs/performance.md, between their
 * `<!-- table:name -->` markers, from tools/perf/results/*.json, so the page shows one run's figures.
 * It is the only file these tables are written to: the README and other pages link to it. The
 * prose around them quotes figures too: read it again after a new run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { costByServiceTable, costPathTable, PERFORMANCE_DOC, refillTables } from './src/docs-tables';
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

const file = path.join(REPO_ROOT, PERFORMANCE_DOC);
writeFileSync(file, refillTables(readFileSync(file, 'utf8'), tables));
console.log(`${PERFORMANCE_DOC}: ${Object.keys(tables).join(', ')} filled from tools/perf/results (${cold.generatedAt})`);
