/**
 * DynamoDB on-demand capacity arithmetic (pure). Item size follows DynamoDB's rules: attribute
 * names count, strings and binary by UTF-8 bytes, numbers by about one byte per two significant
 * digits plus one, booleans and null one byte, lists and maps 3 bytes plus one per element.
 */

export type Consistency = 'eventual' | 'strong' | 'transactional';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

function numberSize(n: number): number {
  const digits = String(Math.abs(n)).replace(/^0+|\.|e.*$/gi, '').replace(/0+$/, '').length || 1;
  return Math.ceil(digits / 2) + 1;
}

/** Size of one attribute value as stored (without its name). */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return numberSize(value);
  if (typeof value === 'boolean') return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + valueSize(element) + 1, 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [name, v]) => sum + utf8(name) + valueSize(v) + 1, 0);
  }
  return utf8(String(value));
}

/** Size of an item (plain JavaScript object, as lib-dynamodb reads and writes it). */
export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item)
    .filter(([, v]) => v !== undefined)
    .reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** Write request units for writing (or deleting) an item of `bytes`: 1 per KB, doubled in a transaction. */
export function writeUnits(bytes: number, transactional = false): number {
  const units = Math.max(1, Math.ceil(bytes / 1024));
  return transactional ? 2 * units : units;
}

/** Read request units for reading an item of `bytes` (a missing item costs as a small one). */
export function readUnits(bytes: number, consistency: Consistency): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  if (consistency === 'eventual') return units / 2;
  if (consistency === 'transactional') return 2 * units;
  return units;
}

/** One DynamoDB request of a step, with the item it touches. */
export interface DynamoOperation {
  table: string;
  /** PutItem, UpdateItem, GetItem, TransactWriteItems member, BatchGetItem member, GSI write, ... */
  action: string;
  kind: 'read' | 'write';
  /** Which item (a key of ItemSizes) sets the size. */
  item: string;
  consistency?: Consistency;
  transactional?: boolean;
  /** For an update: the item before (the larger of before and after is billed). */
  itemBefore?: string;
  why: string;
}

export type ItemSizes = Record<string, number>;

export function unitsOf(op: DynamoOperation, sizes: ItemSizes): { wru: number; rru: number } {
  const size = (key: string) => {
    const bytes = sizes[key];
    if (bytes === undefined) throw new Error(`no size for item "${key}" (known: ${Object.keys(sizes).join(', ')})`);
    return bytes;
  };
  if (op.kind === 'write') {
    const bytes = Math.max(size(op.item), op.itemBefore ? size(op.itemBefore) : 0);
    return { wru: writeUnits(bytes, op.transactional ?? false), rru: 0 };
  }
  return { wru: 0, rru: readUnits(size(op.item), op.consistency ?? 'eventual') };
}

export function totalUnits(ops: DynamoOperation[], sizes: ItemSizes): { wru: number; rru: number } {
  return ops.reduce(
    (total, op) => {
      const u = unitsOf(op, sizes);
      return { wru: total.wru + u.wru, rru: total.rru + u.rru };
    },
    { wru: 0, rru: 0 },
  );
}
