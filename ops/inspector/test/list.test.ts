import { decodeCursor, encodeCursor, listExecutions } from '../src/app/list';
import type { ExecutionRecord } from '../src/core/execution';
import { executionArnFor } from '../src/core/execution';
import { InspectorError } from '../src/errors';
import type { StepFunctionsGateway } from '../src/adapters/step-functions';

/**
 * An in-memory gateway that pages like ListExecutions (newest first, opaque tokens) and counts
 * calls, to check the inspector's own paging over client-side filters.
 */
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:order-local-saga';
const arnOf = (name: string) => executionArnFor(MACHINE, name);

function fakeGateway(count: number, customerOf: (i: number) => string = (i) => `cust-${i % 3}`) {
  const base = Date.UTC(2026, 0, 1);
  // Newest first: execution i started i minutes before the newest.
  const all: ExecutionRecord[] = Array.from({ length: count }, (_, i) => ({
    executionArn: arnOf(`ord-${i}`),
    name: `ord-${i}`,
    stateMachineArn: MACHINE,
    status: i % 4 === 0 ? 'FAILED' : 'SUCCEEDED',
    startDate: new Date(base - i * 60_000).toISOString(),
    stopDate: new Date(base - i * 60_000 + 500).toISOString(),
  }));
  const calls = { list: 0, describe: 0 };
  const gateway = {
    async listExecutions(request: { status?: string; maxResults: number; nextToken?: string }) {
      calls.list += 1;
      const matching = all.filter((e) => !request.status || e.status === request.status);
      const start = request.nextToken ? Number(request.nextToken) : 0;
      const items = matching.slice(start, start + request.maxResults);
      const next = start + request.maxResults < matching.length ? String(start + request.maxResults) : undefined;
      return { items, ...(next && { nextToken: next }) };
    },
    async describeExecution(arn: string) {
      calls.describe += 1;
      const index = all.findIndex((e) => e.executionArn === arn);
      return index < 0 ? undefined : { ...all[index]!, input: JSON.stringify({ orderId: all[index]!.name, customerId: customerOf(index) }) };
    },
  } as unknown as StepFunctionsGateway;
  return { gateway, calls, base };
}

const names = (items: ExecutionRecord[]) => items.map((e) => e.name);

async function collect(gateway: StepFunctionsGateway, filter: Parameters<typeof listExecutions>[3]) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listExecutions(gateway, MACHINE, arnOf, { ...filter, ...(cursor && { cursor }) });
    pages.push(names(page.items));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('listExecutions', () => {
  it('pages newest first, across API page boundaries, without gaps or repeats', async () => {
    const { gateway } = fakeGateway(250);
    const pages = await collect(gateway, { limit: 40 });
    expect(pages.map((p) => p.length)).toEqual([40, 40, 40, 40, 40, 40, 10]);
    expect(pages.flat()).toEqual(Array.from({ length: 250 }, (_, i) => `ord-${i}`));
  });

  it('filters by status through the API', async () => {
    const { gateway } = fakeGateway(20);
    const page = await listExecutions(gateway, MACHINE, arnOf, { status: 'FAILED', limit: 100 });
    expect(names(page.items)).toEqual(['ord-0', 'ord-4', 'ord-8', 'ord-12', 'ord-16']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('stops at the first execution older than --since', async () => {
    const { gateway, calls, base } = fakeGateway(500);
    const page = await listExecutions(gateway, MACHINE, arnOf, { since: new Date(base - 30 * 60_000), limit: 100 });
    expect(names(page.items)).toHaveLength(31);
    expect(page.nextCursor).toBeUndefined();
    expect(calls.list).toBe(1);
  });

  it('--since with paging ends exactly at the window', async () => {
    const { gateway, base } = fakeGateway(500);
    const pages = await collect(gateway, { since: new Date(base - 44 * 60_000), limit: 15 });
    expect(pages.map((p) => p.length)).toEqual([15, 15, 15]);
  });

  it('filters by customer from each execution\'s input, keeping pages full', async () => {
    const { gateway } = fakeGateway(230);
    const pages = await collect(gateway, { customerId: 'cust-1', limit: 25 });
    const all = pages.flat();
    expect(all).toEqual(Array.from({ length: 230 }, (_, i) => i).filter((i) => i % 3 === 1).map((i) => `ord-${i}`));
    expect(pages.slice(0, -1).every((p) => p.length === 25)).toBe(true);
  });

  it('an order id is one DescribeExecution, not a scan', async () => {
    const { gateway, calls } = fakeGateway(1000);
    expect(names((await listExecutions(gateway, MACHINE, arnOf, { orderId: 'ord-7' })).items)).toEqual(['ord-7']);
    expect(names((await listExecutions(gateway, MACHINE, arnOf, { orderId: 'ord-7', status: 'FAILED' })).items)).toEqual([]);
    expect(names((await listExecutions(gateway, MACHINE, arnOf, { orderId: 'nope' })).items)).toEqual([]);
    expect(calls).toEqual({ list: 0, describe: 3 });
  });

  it('refuses a cursor it did not hand out', async () => {
    expect(decodeCursor(encodeCursor({ t: 'abc', s: 3 }))).toEqual({ t: 'abc', s: 3 });
    expect(() => decodeCursor('not-a-cursor')).toThrow(InspectorError);
  });
});
