import type { ExecutionRecord, ExecutionStatus } from '../core/execution';
import { parseJson } from '../core/execution';
import { InspectorError } from '../errors';
import type { StepFunctionsGateway } from '../adapters/step-functions';

/**
 * ListExecutions with the filters ops ask for. Status is filtered by the API; `since` relies on
 * the API's newest-first order (it stops at the first older execution); customer needs each
 * execution's input, so candidates are described. Because of that client-side filtering, the
 * cursor handed out is the API's page token plus how many of that page were already used.
 */
export interface ListFilter {
  status?: ExecutionStatus;
  since?: Date;
  orderId?: string;
  customerId?: string;
  /** Items per page, 1..100. */
  limit?: number;
  cursor?: string;
}

export interface ExecutionPage {
  items: ExecutionRecord[];
  nextCursor?: string;
}

interface Cursor {
  /** API token of the page being read (absent: the first page). */
  t?: string;
  /** Items of that page already returned. */
  s: number;
}

// Fixed, so that a cursor's offset always refers to the same page boundaries.
const API_PAGE = 100;
const DESCRIBE_CONCURRENCY = 8;

export async function listExecutions(
  gateway: StepFunctionsGateway,
  stateMachineArn: string,
  executionArnOf: (name: string) => string,
  filter: ListFilter,
): Promise<ExecutionPage> {
  const limit = Math.min(100, Math.max(1, filter.limit ?? 20));
  if (filter.orderId) return { items: await byOrderId(gateway, executionArnOf(filter.orderId), filter) };

  let cursor = decodeCursor(filter.cursor);
  const items: ExecutionRecord[] = [];
  for (;;) {
    const page = await gateway.listExecutions({
      stateMachineArn,
      maxResults: API_PAGE,
      ...(filter.status && { status: filter.status }),
      ...(cursor.t && { nextToken: cursor.t }),
    });
    const rows = page.items.slice(cursor.s);
    const tooOld = filter.since ? rows.findIndex((r) => Date.parse(r.startDate) < filter.since!.getTime()) : -1;
    const inWindow = tooOld >= 0 ? rows.slice(0, tooOld) : rows;
    const candidates = filter.customerId ? await describeAll(gateway, inWindow) : inWindow;
    for (const [i, row] of candidates.entries()) {
      if (filter.customerId && customerOf(row) !== filter.customerId) continue;
      items.push(row);
      if (items.length === limit) {
        const used = cursor.s + i + 1;
        const more = used < page.items.length && tooOld !== i + 1;
        if (more) return { items, nextCursor: encodeCursor({ ...(cursor.t && { t: cursor.t }), s: used }) };
        return page.nextToken && tooOld < 0 ? { items, nextCursor: encodeCursor({ t: page.nextToken, s: 0 }) } : { items };
      }
    }
    if (tooOld >= 0 || !page.nextToken) return { items };
    cursor = { t: page.nextToken, s: 0 };
  }
}

async function byOrderId(gateway: StepFunctionsGateway, executionArn: string, filter: ListFilter): Promise<ExecutionRecord[]> {
  const record = await gateway.describeExecution(executionArn);
  if (!record) return [];
  const matches =
    (!filter.status || record.status === filter.status) &&
    (!filter.since || Date.parse(record.startDate) >= filter.since.getTime()) &&
    (!filter.customerId || customerOf(record) === filter.customerId);
  return matches ? [record] : [];
}

/** The saga input carries the customer (SagaInput.customerId). */
export function customerOf(record: ExecutionRecord): string | undefined {
  const input = parseJson(record.input);
  const customer = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)['customerId'] : undefined;
  return typeof customer === 'string' ? customer : undefined;
}

async function describeAll(gateway: StepFunctionsGateway, rows: ExecutionRecord[]): Promise<ExecutionRecord[]> {
  const described: ExecutionRecord[] = new Array(rows.length);
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const i = next++;
      const row = rows[i]!;
      described[i] = (await gateway.describeExecution(row.executionArn)) ?? row;
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, rows.length) }, worker));
  return described;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string | undefined): Cursor {
  if (!text) return { s: 0 };
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof parsed.s !== 'number' || (parsed.t !== undefined && typeof parsed.t !== 'string')) throw new Error('shape');
    return parsed;
  } catch {
    throw new InspectorError('INVALID_ARGUMENT', 'invalid page cursor: pass back the nextCursor of a previous page');
  }
}
