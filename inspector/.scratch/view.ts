import { readFileSync, writeFileSync } from 'node:fs';
import { buildExecutionView, compensationRule, reviveHistory, toExecutionRecord, renderSvg } from '../src/core';
for (const name of process.argv.slice(2)) {
  const f = JSON.parse(readFileSync(`inspector/test/fixtures/${name}.json`, 'utf8'));
  const def = readFileSync(`inspector/test/fixtures/${name.startsWith('nested') ? 'nested' : 'saga'}-definition.json`, 'utf8');
  const v = buildExecutionView({ record: toExecutionRecord(f.describe), history: reviveHistory(f.events), definition: def, isCompensation: compensationRule() });
  console.log(JSON.stringify(v.summary));
  for (const e of v.timeline) console.log(e.id, ' '.repeat(e.depth*2) + e.name, e.type, e.status, e.run, e.iteration ?? '', e.durationMs, e.attempts, e.retries, e.compensation ? 'COMP' : '', e.error ?? '');
  console.log(JSON.stringify(v.path.transitions));
  writeFileSync(`/tmp/insp/${name}.svg`, renderSvg(v.graph, v.path, { finished: true }));
}
