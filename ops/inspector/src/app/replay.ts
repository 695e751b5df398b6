import type { CompensationRule } from '../core/compensation';
import { type Comparison, compareRuns } from '../core/compare';
import { parseDefinition, placementsOf } from '../core/definition';
import { durationOf, type ExecutionRecord } from '../core/execution';
import type { ExecutionExport } from '../core/execution-export';
import type { HistoryEvent } from '../core/events';
import { localizeDefinition, nextReplayName, replayBaseName, replayInput, seedPlan } from '../core/replay';
import { buildTimeline, type Timeline } from '../core/timeline';
import { InspectorError } from '../errors';
import type { LocalData, SeedOutcome } from '../adapters/local-data';
import type { StateMachineInfo, StepFunctionsGateway } from '../adapters/step-functions';

/**
 * A replay: the original's input, under an order id of its own (`<original>-replay-<n>`), run on
 * the local stack's state machine with today's definition (or the recorded one), after seeding
 * what the saga reads and the local stack lacks. The original's records stay as they are.
 */
export interface ReplayOptions {
  definition?: 'today' | 'original';
  /** Seed the order row and stock (default true). */
  seed?: boolean;
  /** Overwrite local data that exists already. */
  force?: boolean;
}

export interface SeedReport {
  what: 'order' | 'stock';
  key: string;
  outcome: SeedOutcome | 'off';
  detail: string;
}

export interface StartedReplay {
  original: { name: string; executionArn: string; status: string; masked: string[] };
  replay: { name: string; executionArn: string; definition: 'today' | 'original' };
  notes: string[];
  seeding: SeedReport[];
}

export interface ReplayDeps {
  sfn: StepFunctionsGateway;
  machine: StateMachineInfo;
  stage: string;
  isCompensation: CompensationRule;
  /** Absent when the stack's tables and inventory API are unknown (seeding then needs --no-seed). */
  localData?: LocalData;
}

export async function startReplay(deps: ReplayDeps, original: ExecutionExport, options: ReplayOptions = {}): Promise<StartedReplay> {
  const definitionChoice = options.definition ?? 'today';
  const originalTimeline = timelineOf(original.events, original.definition ?? deps.machine.definition, deps.isCompensation);
  const taken = await takenNames(deps, original.execution.name);
  let name = nextReplayName(original.execution.name, taken);
  // An order row of that id (a replay whose execution was deleted, say) also takes the name.
  while (deps.localData && (await deps.localData.hasOrder(name))) {
    taken.add(name);
    name = nextReplayName(original.execution.name, taken);
  }
  const { input, notes } = replayInput(original, name, originalTimeline);
  const inputText = JSON.stringify(input);
  // The seeded order row starts the saga through the order stream, with this very input: the
  // stream's start and ours are one execution (same name, same input), whichever comes first.
  const seedAndStart = async () => ({ seeding: await seed(deps, original, input, originalTimeline, options), executionArn: await deps.sfn.start(deps.machine.arn, name, inputText) });
  let started: { seeding: SeedReport[]; executionArn: string };
  if (definitionChoice === 'original') {
    if (!original.definition) throw new InspectorError('INVALID_ARGUMENT', "the source has no recorded definition (an export of version 1 has one); run with today's");
    // The local engine keeps each execution's definition: swap the recorded one in for the
    // start, then restore today's (executions started meanwhile would run it too: milliseconds).
    await deps.sfn.updateDefinition(deps.machine.arn, localizeDefinition(original.definition, deps.machine.definition, deps.stage));
    try {
      started = await seedAndStart();
    } finally {
      await deps.sfn.updateDefinition(deps.machine.arn, deps.machine.definition);
    }
    notes.push('ran with the recorded definition (Lambda ARNs pointed at the local functions)');
  } else {
    started = await seedAndStart();
  }
  const { seeding, executionArn } = started;
  return {
    original: { name: original.execution.name, executionArn: original.execution.executionArn, status: original.execution.status, masked: original.masked },
    replay: { name, executionArn, definition: definitionChoice },
    notes,
    seeding,
  };
}

async function takenNames(deps: ReplayDeps, originalName: string): Promise<Set<string>> {
  const names = new Set<string>();
  let nextToken: string | undefined;
  const prefix = replayBaseName(originalName);
  do {
    const page = await deps.sfn.listExecutions({ stateMachineArn: deps.machine.arn, maxResults: 1000, ...(nextToken && { nextToken }) });
    for (const item of page.items) if (item.name.startsWith(prefix)) names.add(item.name);
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

async function seed(
  deps: ReplayDeps,
  original: ExecutionExport,
  input: Record<string, unknown>,
  originalTimeline: Timeline,
  options: ReplayOptions,
): Promise<SeedReport[]> {
  const plan = seedPlan(original, input, originalTimeline);
  const force = options.force === true;
  if (options.seed === false) {
    return [
      { what: 'order', key: String(plan.order['orderId']), outcome: 'off', detail: 'not seeded (--no-seed)' },
      ...plan.stock.map((s): SeedReport => ({ what: 'stock', key: s.sku, outcome: 'off', detail: 'not seeded (--no-seed)' })),
    ];
  }
  if (!deps.localData) {
    throw new InspectorError('UNSUPPORTED', 'seeding needs the local stack\'s DynamoDB and inventory API (.local/endpoints.json); run npm start, or pass --no-seed');
  }
  const reports: SeedReport[] = [];
  // Stock first: the order row starts the saga through the order stream.
  for (const stock of plan.stock) {
    const outcome = await deps.localData.seedStock(stock, force);
    const detail =
      outcome === 'exists'
        ? 'in the catalogue already, left as it is (--force to overwrite)'
        : `${stock.available} available at ${stock.price} ${stock.currency} (${stock.source})`;
    reports.push({ what: 'stock', key: stock.sku, outcome, detail });
  }
  const outcome = await deps.localData.seedOrder(plan.order, force);
  reports.push({
    what: 'order',
    key: String(plan.order['orderId']),
    outcome,
    detail: outcome === 'exists' ? 'an order row of this id exists, left as it is (--force to overwrite)' : `PENDING order row for customer ${String(plan.order['customerId'])}`,
  });
  return reports;
}

export function timelineOf(events: readonly HistoryEvent[], definition: string, isCompensation: CompensationRule): Timeline {
  let placements;
  try {
    placements = placementsOf(parseDefinition(definition));
  } catch {
    placements = undefined;
  }
  return buildTimeline(events, { isCompensation, ...(placements && { placements }) });
}

/** The two runs side by side, from their records and histories. */
export function compareExecutions(
  original: { record: ExecutionRecord; events: readonly HistoryEvent[]; definition: string },
  replay: { record: ExecutionRecord; events: readonly HistoryEvent[]; definition: string },
  isCompensation: CompensationRule,
): Comparison {
  const side = (run: typeof original) => ({
    side: {
      name: run.record.name,
      executionArn: run.record.executionArn,
      status: run.record.status,
      durationMs: durationOf(run.record),
      ...(run.record.error !== undefined && { error: run.record.error }),
    },
    entries: timelineOf(run.events, run.definition, isCompensation).entries,
  });
  return compareRuns(side(original), side(replay));
}
