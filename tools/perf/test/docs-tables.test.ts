import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CostResults } from '../cost/cost';
import { COST_SERVICES, type Breakdown } from '../cost/src/model';
import { costByServiceTable, PERFORMANCE_DOC, refillTables } from '../src/docs-tables';
import { REPO_ROOT } from '../src/paths';

const breakdown = (values: Partial<Breakdown>): Breakdown => ({ ...Object.fromEntries(COST_SERVICES.map((s) => [s, 0])), ...values }) as Breakdown;

describe('docs tables', () => {
  it('puts STANDARD and EXPRESS side by side per path, leaving out services that cost nothing', () => {
    const cost = {
      costs: [{ path: 'happy', source: 'observed', standard: breakdown({ 'Step Functions': 125, SES: 100 }), express: breakdown({ 'Step Functions': 1.1, SES: 100 }), expressWithHistory: breakdown({}) }],
    } as unknown as CostResults;
    const table = costByServiceTable(cost);
    expect(table.split('\n')[0]).toBe('| service (USD per 1M orders) | STANDARD happy | EXPRESS happy |');
    expect(table).toContain('| Step Functions | $125 | $1.10 |');
    expect(table).toContain('| **total** | **$225** | **$101** |');
    expect(table).not.toContain('SNS');
  });
});

describe('refilling the page', () => {
  const page = [
    'prose before',
    '<!-- table:hot (npx tsx tools/perf/docs.ts fills it) -->',
    '| old | table |',
    '<!-- /table:hot -->',
    'prose between',
    '<!-- table:cost -->',
    '| old |',
    '<!-- /table:cost -->',
    'prose after',
  ].join('\n');

  it('replaces only what is between each pair of markers, keeping the markers and the prose', () => {
    const filled = refillTables(page, { hot: '| new | hot |', cost: '| $246 | $122 |' });
    expect(filled).toBe(
      ['prose before', '<!-- table:hot (npx tsx tools/perf/docs.ts fills it) -->', '| new | hot |', '<!-- /table:hot -->', 'prose between', '<!-- table:cost -->', '| $246 | $122 |', '<!-- /table:cost -->', 'prose after'].join('\n'),
    );
    expect(refillTables(filled, { hot: '| new | hot |', cost: '| $246 | $122 |' })).toBe(filled);
  });

  it('fails on a table the page has no markers for, instead of leaving it stale', () => {
    expect(() => refillTables(page, { deps: '| x |' })).toThrow(`${PERFORMANCE_DOC} has no <!-- table:deps --> ... <!-- /table:deps --> markers`);
  });

  it('writes the generated tables into one file: docs/performance.md has every marker, README.md none', () => {
    const markers = (file: string) => [...readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(/<!-- table:(\w+)/g)].map((m) => m[1]);
    expect(PERFORMANCE_DOC).toBe('docs/performance.md');
    expect(markers(PERFORMANCE_DOC)).toEqual(expect.arrayContaining(['cold', 'deps', 'hot', 'costpaths', 'costservices']));
    expect(markers('README.md')).toEqual([]);
  });
});
