import type { CostResults } from '../cost/cost';
import { COST_SERVICES, type Breakdown } from '../cost/src/model';
import { costByServiceTable } from '../src/docs-tables';

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
