/**
 * `npm run migrate:stock`: moves a stage's stock items from the counters `reserved` and `shipped`
 * to `held` (= reserved + shipped), the shape the inventory uses since shipping stopped moving
 * stock (docs/performance.md, "DynamoDB per order"). Run it once per stage right after deploying
 * that inventory, while no order is placed; a repeated run finds nothing to do.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '@order-platform/shared/aws/dynamodb';
import { runFromCommandLine, parseCommandArgs, type CliIo } from './command-args';
import { scanAll, stackNames } from './snapshot';
import { clientConfig, resolveTarget, TargetError } from './target';

const USAGE = `usage: npm run migrate:stock -- [options]

  --stage <stage>     local (default: the local stack of npm start) or an AWS stage (default credentials)
  --region <region>   AWS region (default AWS_REGION, else eu-west-1)
  --dry-run           list what would change, change nothing`;

/** What one stock item needs: its legacy counters folded into held, or nothing. */
export interface StockMigration {
  sku: string;
  reserved: number;
  shipped: number;
  /** held after the migration (a held the new code already added to is kept and added to). */
  held: number;
}

const count = (value: unknown) => (typeof value === 'number' ? value : 0);

export function planStockMigration(item: Record<string, unknown>): StockMigration | undefined {
  if (item.reserved === undefined && item.shipped === undefined) return undefined;
  const reserved = count(item.reserved);
  const shipped = count(item.shipped);
  return { sku: String(item.sku), reserved, shipped, held: count(item.held) + reserved + shipped };
}

/** One conditional UpdateItem: applies only while the legacy counters are as read (else it is read again next run). */
async function apply(db: DynamoDBDocumentClient, table: string, migration: StockMigration): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { sku: migration.sku },
        UpdateExpression: 'SET held = if_not_exists(held, :zero) + :legacy REMOVE reserved, shipped',
        ConditionExpression: 'attribute_exists(sku) AND (attribute_not_exists(reserved) OR reserved = :reserved) AND (attribute_not_exists(shipped) OR shipped = :shipped)',
        ExpressionAttributeValues: { ':zero': 0, ':legacy': migration.reserved + migration.shipped, ':reserved': migration.reserved, ':shipped': migration.shipped },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export interface MigrateIo extends CliIo {
  /** Tests hand in their own client. */
  db?: DynamoDBDocumentClient;
}

export async function runMigrateStock(argv: string[], io: MigrateIo): Promise<number> {
  const parsed = parseCommandArgs(
    { args: argv, options: { stage: { type: 'string' }, region: { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  let db = io.db;
  let table: string;
  try {
    const target = resolveTarget({ stage: values.stage, region: values.region }, io.env ?? process.env);
    table = stackNames(target.stage).stock;
    db ??= DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(target, 'dynamodb')));
    io.stdout(`stage ${target.stage} · ${target.source} · table ${table}${values['dry-run'] ? ' · dry run' : ''}`);
  } catch (error) {
    io.stderr((error as Error).message);
    return error instanceof TargetError ? 1 : 2;
  }
  let migrated = 0;
  let skipped = 0;
  const legacy = await scanAll(db, table, { filter: 'attribute_exists(reserved) OR attribute_exists(shipped)' });
  for (const item of legacy) {
    const migration = planStockMigration(item);
    if (!migration) continue;
    const line = `${migration.sku}: reserved ${migration.reserved} + shipped ${migration.shipped} -> held ${migration.held}`;
    if (values['dry-run']) {
      io.stdout(`  would move ${line}`);
      migrated++;
    } else if (await apply(db, table, migration)) {
      io.stdout(`  moved ${line}`);
      migrated++;
    } else {
      io.stdout(`  skipped ${migration.sku}: it changed while being read (a saga still running on the old code?); run again`);
      skipped++;
    }
  }
  io.stdout(`${migrated} SKU(s) ${values['dry-run'] ? 'to migrate' : 'migrated'}${skipped ? `, ${skipped} to retry` : ''}`);
  return skipped > 0 ? 1 : 0;
}

if (require.main === module) runFromCommandLine(runMigrateStock);
