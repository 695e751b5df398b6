import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Money, PricedLine, requireEnv, schema } from '@order-platform/shared';
import { backoff, batchGetAll, createDocumentClient, expiresAtFor, putIfAbsent, TTL_ATTRIBUTE } from '@order-platform/shared/aws/dynamodb';
import * as z from 'zod/mini';
import type { InventoryRepository, WriteOutcome } from '../domain/inventory';
import type { CatalogueEntry } from '../domain/lines';
import type { Reservation, StockMove, Transition } from '../domain/reservation';
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

/**
 * The inventory's saga persistence on DynamoDB: every write is one TransactWriteItems with conditions.
 *
 * Storage attributes the domain does not see: a RESERVED reservation carries `statusShard` (its
 * key in the sparse reservedByShard index the sweeper reads), which leaving RESERVED removes; a
 * finished one (SHIPPED, RELEASED, a tombstone) carries `expiresAt`, the table's TTL.
 */
export class DynamoInventoryRepository implements InventoryRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: InventoryTables,
    private readonly wait: (attempt: number) => Promise<unknown> = backoff,
  ) {}

  async loadForReserve(orderId: string, skus: string[]) {
    // One round trip: the reservation (consistent read) and the catalogue entries (≤ 99 SKUs + 1 key ≤ 100).
    const found = await batchGetAll(
      this.db,
      {
        [this.tables.reservations]: { Keys: [{ orderId }], ConsistentRead: true },
        [this.tables.stock]: { Keys: skus.map((sku) => ({ sku })), ProjectionExpression: 'sku, price, currency' },
      },
      `Catalogue read for order ${orderId}`,
      this.wait,
    );
    const [stored] = found[this.tables.reservations] ?? [];
    const catalogue = new Map<string, CatalogueEntry>();
    for (const item of found[this.tables.stock] ?? []) {
      const entry = CatalogueRecord.parse(item);
      catalogue.set(entry.sku, entry);
    }
    return stored ? { existing: toReservation(stored), catalogue } : { catalogue };
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
        ...this.stockMoves({ from: 'available', to: 'reserved' }, reservation.lines, reservation.createdAt),
      ],
      reservation.lines.map((line) => line.sku),
    );
  }

  async applyTransition(transition: Transition): Promise<WriteOutcome> {
    const names: Record<string, string> = { '#status': 'status' };
    // Every transition leaves RESERVED for good or finishes a shipped one: out of the sweeper's
    // index (one index delete, no put) and onto the TTL clock.
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
    return this.transact(
      [
        {
          Update: {
            TableName: this.tables.reservations,
            Key: { orderId: transition.orderId },
            UpdateExpression: `SET ${sets.join(', ')} REMOVE statusShard`,
            ConditionExpression: '#status = :from',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        ...this.stockMoves(transition.move, transition.lines, transition.at),
      ],
      transition.lines.map((line) => line.sku),
    );
  }

  async createTombstone(tombstone: Reservation): Promise<WriteOutcome> {
    const result = await putIfAbsent(this.db, this.tables.reservations, 'orderId', { ...tombstone, [TTL_ATTRIBUTE]: expiresAtFor(tombstone.updatedAt) });
    return result.stored ? { kind: 'applied' } : { kind: 'conflict' };
  }

  /** Every shard of the RESERVED index, in parallel; the oldest `limit` of them all. */
  async findReservedBefore(createdBefore: string, limit: number): Promise<string[]> {
    const perShard = await Promise.all(reservedShards().map((shard) => this.reservedBefore(shard, createdBefore, limit)));
    return perShard
      .flat()
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .slice(0, limit)
      .map((entry) => entry.orderId);
  }

  /** One shard's entries created before the cut-off, oldest first, at most `limit`. */
  private async reservedBefore(shard: string, createdBefore: string, limit: number): Promise<{ orderId: string; createdAt: string }[]> {
    const entries: { orderId: string; createdAt: string }[] = [];
    let startKey: Record<string, unknown> | undefined;
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
      for (const item of page.Items ?? []) entries.push({ orderId: String(item.orderId), createdAt: String(item.createdAt) });
      startKey = page.LastEvaluatedKey;
    } while (startKey && entries.length < limit);
    return entries;
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
