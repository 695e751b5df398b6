import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Money, PricedLine, requireEnv, schema } from '@order-platform/shared';
import {
  backoff,
  batchGetAll,
  createDocumentClient,
  expiresAtFor,
  isConditionFailure,
  putIfAbsent,
  refusedItem,
  TTL_ATTRIBUTE,
} from '@order-platform/shared/aws/dynamodb';
import * as z from 'zod/mini';
import type { InventoryRepository, SweepEntry, SweepWindow, WriteOutcome } from '../domain/inventory';
import type { CatalogueEntry } from '../domain/lines';
import type { Reservation, ReservationStatus, StockMove, Transition } from '../domain/reservation';
import {
  cancellationReasonsOrTransient,
  cancelledByCondition,
  inventoryTablesFromEnv,
  reservedShardOf,
  reservedShards,
  type InventoryTables,
} from './dynamodb';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** A reservation as stored; parsed on the way in so that a malformed item fails loudly here. */
const ReservationRecord = /* @__PURE__ */ schema(() => z.object({
  orderId: z.string(),
  status: z.enum(['RESERVED', 'SHIPPED', 'RELEASED']),
  lines: z.array(PricedLine),
  total: z.optional(Money),
  createdAt: z.string(),
  updatedAt: z.string(),
  shipmentId: z.optional(z.string()),
  shippedAt: z.optional(z.string()),
  releasedAt: z.optional(z.string()),
  executionArn: z.optional(z.string()),
}));

const CatalogueRecord = /* @__PURE__ */ schema(() => z.object({ sku: z.string(), price: z.number(), currency: z.string() }));

/** The reservations table's item that holds the sweeper's checkpoint per shard (no order id starts with "#"). */
export const SWEEP_CHECKPOINT_KEY = '#sweep-checkpoint';
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_KEYS = 100;
/** The sweeper's status reads in flight at once (a round holds up to 64 shards x 200 entries: 128 requests). */
const STATUS_READS_IN_FLIGHT = 8;

/**
 * The inventory's saga persistence on DynamoDB: every write that moves stock is one
 * TransactWriteItems with conditions; shipping, which moves none, is one conditional UpdateItem.
 *
 * Storage attributes the domain does not see: every reservation carries `statusShard` (its key in
 * the reservedByShard index the sweeper reads), written once at reserve and never changed, so no
 * later step writes the index; a finished one (SHIPPED, RELEASED, a tombstone) carries
 * `expiresAt`, the table's TTL.
 */
export class DynamoInventoryRepository implements InventoryRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: InventoryTables,
    private readonly wait: (attempt: number) => Promise<unknown> = backoff,
  ) {}

  async loadCatalogue(skus: string[]): Promise<Map<string, CatalogueEntry>> {
    // ≤ 100 SKUs (an order's lines fit one transaction); price and currency change only by PUT.
    const found = await batchGetAll(
      this.db,
      { [this.tables.stock]: { Keys: skus.map((sku) => ({ sku })), ProjectionExpression: 'sku, price, currency' } },
      'Catalogue read',
      this.wait,
    );
    const catalogue = new Map<string, CatalogueEntry>();
    for (const item of found[this.tables.stock] ?? []) {
      const entry = CatalogueRecord.parse(item);
      catalogue.set(entry.sku, entry);
    }
    return catalogue;
  }

  async findReservation(orderId: string): Promise<Reservation | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tables.reservations, Key: { orderId }, ConsistentRead: true }),
    );
    return result.Item ? toReservation(result.Item) : undefined;
  }

  async createReservation(reservation: Reservation): Promise<WriteOutcome> {
    return this.transact(
      [
        {
          Put: {
            TableName: this.tables.reservations,
            Item: { ...reservation, statusShard: reservedShardOf(reservation.orderId) },
            ConditionExpression: 'attribute_not_exists(orderId)',
            // The stored reservation comes back with the cancellation: no second read for a duplicate.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        ...this.stockMoves({ from: 'available', to: 'held' }, reservation.lines, reservation.createdAt),
      ],
      reservation.lines.map((line) => line.sku),
    );
  }

  async applyTransition(transition: Transition): Promise<WriteOutcome> {
    // Every transition finishes the reservation or its shipment: onto the TTL clock. statusShard
    // stays, so the index is not written.
    const values: Record<string, unknown> = {
      ':from': transition.from,
      ':to': transition.to,
      ':at': transition.at,
      ':expiresAt': expiresAtFor(transition.at),
    };
    const sets = ['#status = :to', 'updatedAt = :at', `${TTL_ATTRIBUTE} = :expiresAt`];
    if (transition.shipment) {
      sets.push('shipmentId = :shipmentId', 'shippedAt = :shippedAt');
      values[':shipmentId'] = transition.shipment.shipmentId;
      values[':shippedAt'] = transition.shipment.shippedAt;
    }
    if (transition.to === 'RELEASED') sets.push('releasedAt = :at');
    const update = {
      TableName: this.tables.reservations,
      Key: { orderId: transition.orderId },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
      // A refused write returns the stored reservation: no read first, and none after.
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    if (!transition.move) return this.updateReservation(update);
    return this.transact([{ Update: update }, ...this.stockMoves(transition.move, transition.lines, transition.at)], transition.lines.map((line) => line.sku));
  }

  /** One conditional UpdateItem of the reservation alone (1 write unit, not a transaction's 2 per item). */
  private async updateReservation(update: ConstructorParameters<typeof UpdateCommand>[0]): Promise<WriteOutcome> {
    try {
      await this.db.send(new UpdateCommand(update));
      return { kind: 'applied' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = refusedItem<Record<string, unknown>>(error);
      return old ? { kind: 'conflict', current: toReservation(old) } : { kind: 'conflict' };
    }
  }

  async createTombstone(tombstone: Reservation): Promise<WriteOutcome> {
    const result = await putIfAbsent(this.db, this.tables.reservations, 'orderId', { ...tombstone, [TTL_ATTRIBUTE]: expiresAtFor(tombstone.updatedAt) });
    return result.stored ? { kind: 'applied' } : { kind: 'conflict' };
  }

  /** Every shard of the index after its checkpoint, in parallel; then each entry's status, read eventually. */
  async readSweepWindow(createdBefore: string, perShard: number): Promise<SweepWindow> {
    const checkpoints = await this.sweepCheckpoints();
    const perShardEntries = await Promise.all(
      reservedShards().map((shard) => this.shardWindow(shard, checkpoints.get(shard), createdBefore, perShard)),
    );
    const entries = perShardEntries.flatMap((window) => window.entries);
    const statuses = await this.statusesOf(entries.map((entry) => entry.orderId));
    return {
      entries: entries
        .map((entry) => ({ ...entry, status: statuses.get(entry.orderId) }))
        .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)),
      more: perShardEntries.some((window) => window.more),
    };
  }

  async saveSweepProgress(examined: SweepEntry[]): Promise<void> {
    const last = new Map<string, SweepEntry>();
    for (const entry of examined) {
      const seen = last.get(entry.shard);
      if (!seen || entry.createdAt > seen.createdAt || (entry.createdAt === seen.createdAt && entry.orderId > seen.orderId)) last.set(entry.shard, entry);
    }
    if (last.size === 0) return;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = [...last.values()].map((entry, index) => {
      names[`#s${index}`] = entry.shard;
      values[`:s${index}`] = { createdAt: entry.createdAt, orderId: entry.orderId };
      return `#s${index} = :s${index}`;
    });
    await this.db.send(
      new UpdateCommand({
        TableName: this.tables.reservations,
        Key: { orderId: SWEEP_CHECKPOINT_KEY },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Each shard's last examined entry (an attribute per shard of the checkpoint item). */
  private async sweepCheckpoints(): Promise<Map<string, { createdAt: string; orderId: string }>> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tables.reservations, Key: { orderId: SWEEP_CHECKPOINT_KEY }, ConsistentRead: true }),
    );
    const checkpoints = new Map<string, { createdAt: string; orderId: string }>();
    for (const [name, value] of Object.entries(result.Item ?? {})) {
      const position = value as { createdAt?: unknown; orderId?: unknown };
      if (typeof position?.createdAt === 'string' && typeof position.orderId === 'string') {
        checkpoints.set(name, { createdAt: position.createdAt, orderId: position.orderId });
      }
    }
    return checkpoints;
  }

  /** One shard's entries after its checkpoint and before the cut-off, oldest first, at most `limit`. */
  private async shardWindow(
    shard: string,
    after: { createdAt: string; orderId: string } | undefined,
    createdBefore: string,
    limit: number,
  ): Promise<{ entries: Omit<SweepEntry, 'status'>[]; more: boolean }> {
    const entries: Omit<SweepEntry, 'status'>[] = [];
    // A checkpoint past the cut-off (the max age was raised) would be a start key outside the key
    // condition, which DynamoDB refuses: nothing in this shard is due yet.
    if (after && after.createdAt >= createdBefore) return { entries, more: false };
    let startKey: Record<string, unknown> | undefined = after && { statusShard: shard, createdAt: after.createdAt, orderId: after.orderId };
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tables.reservations,
          IndexName: this.tables.reservedByShard,
          KeyConditionExpression: 'statusShard = :shard AND createdAt < :before',
          ExpressionAttributeValues: { ':shard': shard, ':before': createdBefore },
          Limit: limit - entries.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) entries.push({ orderId: String(item.orderId), createdAt: String(item.createdAt), shard });
      startKey = page.LastEvaluatedKey;
    } while (startKey && entries.length < limit);
    return { entries, more: startKey !== undefined };
  }

  /** The status of each reservation, eventually consistent (half a read unit each), 100 keys per request, a few requests at a time. */
  private async statusesOf(orderIds: string[]): Promise<Map<string, ReservationStatus>> {
    const chunks = Array.from({ length: Math.ceil(orderIds.length / BATCH_GET_KEYS) }, (_, index) =>
      orderIds.slice(index * BATCH_GET_KEYS, (index + 1) * BATCH_GET_KEYS),
    );
    const statuses = new Map<string, ReservationStatus>();
    for (let wave = 0; wave < chunks.length; wave += STATUS_READS_IN_FLIGHT) {
      await Promise.all(chunks.slice(wave, wave + STATUS_READS_IN_FLIGHT).map((chunk) => this.readStatuses(chunk, statuses)));
    }
    return statuses;
  }

  private async readStatuses(chunk: string[], statuses: Map<string, ReservationStatus>): Promise<void> {
    const found = await batchGetAll(
      this.db,
      {
        [this.tables.reservations]: {
          Keys: chunk.map((orderId) => ({ orderId })),
          ProjectionExpression: 'orderId, #status',
          ExpressionAttributeNames: { '#status': 'status' },
        },
      },
      'Sweep status read',
      this.wait,
    );
    for (const item of found[this.tables.reservations] ?? []) statuses.set(String(item.orderId), item.status as ReservationStatus);
  }

  /** One conditional counter update per line: `from` must exist and hold the quantity. */
  private stockMoves(move: StockMove, lines: { sku: string; quantity: number }[], at: string): TransactItem[] {
    return lines.map(({ sku, quantity }) => ({
      Update: {
        TableName: this.tables.stock,
        Key: { sku },
        UpdateExpression: 'SET #from = #from - :q, #to = #to + :q, updatedAt = :at',
        ConditionExpression: 'attribute_exists(sku) AND #from >= :q',
        ExpressionAttributeNames: { '#from': move.from, '#to': move.to },
        ExpressionAttributeValues: { ':q': quantity, ':at': at },
      },
    }));
  }

  /** Item 0 is the reservation, items 1..n the stock of `skus` in order. */
  private async transact(items: TransactItem[], skus: string[]): Promise<WriteOutcome> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return { kind: 'applied' };
    } catch (error) {
      const reasons = cancellationReasonsOrTransient(error);
      if (!reasons) throw error;
      const [reservationReason, ...stockReasons] = reasons;
      if (cancelledByCondition(reservationReason)) {
        const old = reservationReason?.Item;
        return old ? { kind: 'conflict', current: toReservation(unmarshall(old as Record<string, AttributeValue>)) } : { kind: 'conflict' };
      }
      const short = skus.filter((_, index) => cancelledByCondition(stockReasons[index]));
      if (short.length > 0) return { kind: 'insufficient', skus: short };
      throw error;
    }
  }
}

function toReservation(item: Record<string, unknown>): Reservation {
  const record = ReservationRecord.parse(item);
  // Optional attributes absent in the item stay absent in the reservation.
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as unknown as Reservation;
}

/** The repository the saga steps use: one client per container, tables from the environment. */
export function inventoryRepositoryFromEnv(): DynamoInventoryRepository {
  return new DynamoInventoryRepository(createDocumentClient(), inventoryTablesFromEnv(requireEnv));
}
