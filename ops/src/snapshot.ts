import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeExecutionCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import type {
  ExecutionStatus,
  Line,
  NotificationRow,
  OrderRow,
  PaymentRow,
  ReservationRow,
  Snapshot,
  StockRow,
} from './invariant-checks';
import { clientConfig, resourceName, type Target } from './target';

/** The tables and the state machine the checks read, by their predictable names. */
export function stackNames(stage: string) {
  return {
    stock: resourceName('inventory', stage, 'stock'),
    reservations: resourceName('inventory', stage, 'reservations'),
    orders: resourceName('order', stage, 'orders'),
    payments: resourceName('payment', stage, 'payments'),
    notifications: resourceName('notification', stage, 'notifications'),
    saga: resourceName('order', stage, 'saga'),
  };
}

/** What a scan keeps: a projection, a filter (with their names), or neither. */
export interface ScanOptions {
  projection?: string;
  filter?: string;
  names?: Record<string, string>;
}

/** Every item of a table, consistently read, page by page. */
export async function scanAll(db: DynamoDBDocumentClient, table: string, options: ScanOptions = {}): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
        ...(options.projection ? { ProjectionExpression: options.projection } : {}),
        ...(options.filter ? { FilterExpression: options.filter } : {}),
        ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

const num = (value: unknown) => (typeof value === 'number' ? value : Number(value));
const lines = (value: unknown): Line[] =>
  Array.isArray(value) ? value.map((line: { sku: string; quantity: unknown }) => ({ sku: String(line.sku), quantity: num(line.quantity) })) : [];
const optionalNumber = (value: unknown) => (value === undefined || value === null ? undefined : num(value));

export function toStockRow(item: Record<string, unknown>): StockRow {
  const row: StockRow = { sku: String(item.sku), available: num(item.available), held: num(item.held ?? 0) };
  const stockedAvailable = optionalNumber(item.stockedAvailable);
  const stockedHeld = optionalNumber(item.stockedHeld);
  if (stockedAvailable !== undefined) row.stockedAvailable = stockedAvailable;
  if (stockedHeld !== undefined) row.stockedHeld = stockedHeld;
  return row;
}

/**
 * The reservations table also holds bookkeeping that is no reservation: the expiry sweeper's
 * checkpoint (orderId "#sweep-checkpoint"). No order id starts with "#".
 */
export const isReservation = (item: Record<string, unknown>): boolean => !String(item.orderId).startsWith('#');

export function toOrderRow(item: Record<string, unknown>): OrderRow {
  const row: OrderRow = { orderId: String(item.orderId), status: item.status as OrderRow['status'], items: lines(item.items), createdAt: String(item.createdAt) };
  const total = item.total as { amount: unknown; currency: unknown } | undefined;
  if (total) row.total = { amount: num(total.amount), currency: String(total.currency) };
  if (item.customerId !== undefined) row.customerId = String(item.customerId);
  if (item.paymentId !== undefined) row.paymentId = String(item.paymentId);
  if (item.shipmentId !== undefined) row.shipmentId = String(item.shipmentId);
  if (item.failureReason !== undefined) row.failureReason = String(item.failureReason);
  return row;
}

/**
 * Reads everything the invariants need: the five tables (consistent scans) and, for every
 * PENDING order, its saga execution (named by the orderId).
 */
export async function readSnapshot(target: Target, now: () => Date = () => new Date()): Promise<Snapshot> {
  const names = stackNames(target.stage);
  const dynamodb = new DynamoDBClient(clientConfig(target, 'dynamodb'));
  const db = DynamoDBDocumentClient.from(dynamodb);
  const sfn = new SFNClient(clientConfig(target, 'stepFunctions'));
  try {
    const [stockItems, reservationItems, orderItems, paymentItems, notificationItems] = await Promise.all([
      scanAll(db, names.stock),
      scanAll(db, names.reservations),
      scanAll(db, names.orders),
      scanAll(db, names.payments),
      // Only what the checks need: a notification carries the customer's address and the text.
      scanAll(db, names.notifications, {
        projection: 'notificationId, orderId, eventType, #status, claimedAt, attempts',
        names: { '#status': 'status' },
      }),
    ]);
    const orders = orderItems.map(toOrderRow);
    const executions = new Map<string, ExecutionStatus>();
    const pending = orders.filter((order) => order.status === 'PENDING');
    if (pending.length > 0) {
      const sagaArn = await stateMachineArn(sfn, names.saga);
      for (const order of pending) executions.set(order.orderId, sagaArn ? await executionStatus(sfn, sagaArn, order.orderId) : 'MISSING');
    }
    return {
      stock: stockItems.map(toStockRow),
      reservations: reservationItems.filter(isReservation).map(
        (item): ReservationRow => ({
          orderId: String(item.orderId),
          status: item.status as ReservationRow['status'],
          lines: lines(item.lines),
          ...(item.shipmentId !== undefined ? { shipmentId: String(item.shipmentId) } : {}),
        }),
      ),
      orders,
      payments: paymentItems.map(
        (item): PaymentRow => ({
          orderId: String(item.orderId),
          paymentId: String(item.paymentId),
          status: item.status as PaymentRow['status'],
          ...(item.amount !== undefined ? { amount: num(item.amount) } : {}),
          ...(item.currency !== undefined ? { currency: String(item.currency) } : {}),
        }),
      ),
      notifications: notificationItems.map(
        (item): NotificationRow => ({
          notificationId: String(item.notificationId),
          orderId: String(item.orderId),
          eventType: String(item.eventType),
          status: item.status as NotificationRow['status'],
          ...(item.claimedAt !== undefined ? { claimedAt: String(item.claimedAt) } : {}),
          ...(item.attempts !== undefined ? { attempts: num(item.attempts) } : {}),
        }),
      ),
      executions,
      takenAt: now(),
    };
  } finally {
    dynamodb.destroy();
    sfn.destroy();
  }
}

async function stateMachineArn(sfn: SFNClient, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken, maxResults: 1000 }));
    const found = page.stateMachines?.find((machine) => machine.name === name);
    if (found?.stateMachineArn) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

async function executionStatus(sfn: SFNClient, sagaArn: string, orderId: string): Promise<ExecutionStatus> {
  const executionArn = `${sagaArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
  try {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return (status ?? 'MISSING') as ExecutionStatus;
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return 'MISSING';
    throw error;
  }
}
