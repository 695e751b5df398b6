import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { endedAs } from '../core/compare';
import { readExecutionExport } from '../core/execution-export';
import { classifySource } from '../app/replay-source';
import { InspectorError } from '../errors';
import { renderReplay } from './render/compare';
import { EXECUTION_STATUSES, type ExecutionStatus, durationOf } from '../core/execution';
import { toDot } from '../core/dot';
import { renderSvg } from '../core/svg';
import { parseSince } from '../core/time';
import type { SagaInspector } from '../app/inspector';
import type { InspectorConfig } from '../app/config';
import { UsageError } from './args';
import { renderGraph } from './render/graph';
import { renderHistory } from './render/history';
import { renderList } from './render/list';
import { renderShow } from './render/show';
import { renderStats } from './render/stats';
import type { Style } from './style';

/** What a command gets: parsed arguments, the inspector, and ways to print. */
export interface CommandContext {
  inspector: SagaInspector;
  config: InspectorConfig;
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  style: Style;
  width: number;
  print(lines: string[]): void;
  printJson(value: unknown): void;
  /** Resolves when the user asks a long-running command (web) to stop. */
  untilInterrupted(): Promise<void>;
}

export type Command = (ctx: CommandContext) => Promise<void>;

const json = (ctx: CommandContext) => ctx.values['json'] === true;
const str = (ctx: CommandContext, name: string) => (typeof ctx.values[name] === 'string' ? (ctx.values[name] as string) : undefined);
const id = (ctx: CommandContext) => ctx.positionals[0]!;

function intOption(ctx: CommandContext, name: string, fallback: number): number {
  const raw = str(ctx, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer`);
  return value;
}

function statusOption(ctx: CommandContext): ExecutionStatus | undefined {
  const raw = str(ctx, 'status')?.toUpperCase();
  if (raw === undefined) return undefined;
  if (!(EXECUTION_STATUSES as readonly string[]).includes(raw)) throw new UsageError(`--status must be one of ${EXECUTION_STATUSES.join(', ')}`);
  return raw as ExecutionStatus;
}

const list: Command = async (ctx) => {
  const since = str(ctx, 'since');
  const page = await ctx.inspector.list({
    ...(statusOption(ctx) && { status: statusOption(ctx) }),
    ...(since && { since: parseSince(since) }),
    ...(str(ctx, 'order') && { orderId: str(ctx, 'order') }),
    ...(str(ctx, 'customer') && { customerId: str(ctx, 'customer') }),
    limit: intOption(ctx, 'limit', 20),
    ...(str(ctx, 'cursor') && { cursor: str(ctx, 'cursor') }),
  });
  if (json(ctx)) ctx.printJson({ ...page, items: page.items.map((e) => ({ ...e, durationMs: durationOf(e) })) });
  else ctx.print(renderList(page, ctx.style));
};

const show: Command = async (ctx) => {
  const file = str(ctx, 'from-file');
  const definition = str(ctx, 'definition');
  if (!file && !ctx.positionals[0]) throw new UsageError('show needs an order id or execution ARN (or --from-file)');
  const details = file
    ? await ctx.inspector.showExport(ctx.positionals[0], readFileSync(file, 'utf8'), definition && readFileSync(definition, 'utf8'))
    : await ctx.inspector.show(id(ctx), { events: ctx.values['events'] === true, order: ctx.values['no-order'] !== true });
  if (json(ctx)) ctx.printJson(details);
  else ctx.print(renderShow(details, ctx.style, { full: ctx.values['full'] === true, width: ctx.width }));
};

const history: Command = async (ctx) => {
  if (json(ctx)) ctx.printJson(await ctx.inspector.exportExecution(id(ctx), { mask: ctx.values['no-mask'] !== true }));
  else ctx.print(renderHistory(await ctx.inspector.history(id(ctx)), ctx.style, ctx.width));
};

const replay: Command = async (ctx) => {
  const definition = str(ctx, 'definition') ?? 'today';
  if (definition !== 'today' && definition !== 'original') throw new UsageError('--definition must be today or original');
  if (ctx.config.target === 'aws') throw new UsageError('a replay runs on the local stack: drop --aws (an AWS execution ARN is read with your AWS credentials anyway)');
  const machine = await ctx.inspector.stateMachine();
  const source = classifySource(id(ctx), machine.arn, existsSync);
  const original = await ctx.inspector.replaySource(
    source.kind === 'file' ? { export: readExecutionExport(readFileSync(source.path, 'utf8')) } : source.kind === 'aws' ? { awsArn: source.executionArn } : { id: source.id },
  );
  const started = await ctx.inspector.replay(original, { definition, seed: ctx.values['no-seed'] !== true, force: ctx.values['force'] === true });
  const wait = ctx.values['no-wait'] !== true || str(ctx, 'expect') !== undefined;
  let comparison;
  if (wait) {
    const ended = await ctx.inspector.waitWhileRunning(started.replay.executionArn, intOption(ctx, 'timeout', 300) * 1000, 500);
    comparison = await ctx.inspector.compare(original, ended.executionArn);
  }
  if (json(ctx)) ctx.printJson({ ...started, comparison: comparison ?? null });
  else ctx.print(renderReplay(started, comparison, ctx.style, ctx.width));
  const expected = str(ctx, 'expect');
  if (expected !== undefined && comparison && !endedAs(comparison.replay, expected)) {
    throw new InspectorError(
      'EXPECTATION_FAILED',
      `replay ${comparison.replay.name} ended ${comparison.replay.status}${comparison.replay.endState ? ` in ${comparison.replay.endState}` : ''}, expected ${expected}`,
    );
  }
};

const graph: Command = async (ctx) => {
  const view = await ctx.inspector.graph(ctx.positionals[0]);
  const svgFile = str(ctx, 'svg');
  if (svgFile) {
    writeFileSync(svgFile, renderSvg(view.layout, view.path, { title: view.title, finished: view.finished }));
    ctx.print([`wrote ${svgFile}`]);
  } else if (ctx.values['dot'] === true) {
    ctx.print([toDot(view.graph, view.path, ctx.inspector.isCompensation)]);
  } else if (json(ctx)) {
    ctx.printJson({ title: view.title, layout: view.layout, path: view.path ?? null });
  } else {
    ctx.print([ctx.style.bold(view.title), ...renderGraph(view.layout, view.path, ctx.style)]);
  }
};

const stop: Command = async (ctx) => {
  const record = await ctx.inspector.stop(id(ctx), { ...(str(ctx, 'error') && { error: str(ctx, 'error') }), ...(str(ctx, 'cause') && { cause: str(ctx, 'cause') }) });
  if (json(ctx)) ctx.printJson(record);
  else ctx.print([`${record.name} is now ${record.status}`]);
};

const redrive: Command = async (ctx) => {
  let record = await ctx.inspector.redrive(id(ctx));
  if (ctx.values['wait'] === true) record = await ctx.inspector.waitWhileRunning(record.executionArn);
  if (json(ctx)) ctx.printJson(record);
  else ctx.print([`${record.name} redriven (redrive ${record.redriveCount ?? '?'}), now ${record.status}`]);
};

const stats: Command = async (ctx) => {
  const until = str(ctx, 'until');
  const result = await ctx.inspector.stats({
    since: parseSince(str(ctx, 'since') ?? '24h'),
    ...(until && { until: parseSince(until) }),
    maxExecutions: intOption(ctx, 'max', 5000),
  });
  if (json(ctx)) ctx.printJson(result);
  else ctx.print([ctx.style.bold(ctx.config.stateMachine), ...renderStats(result, ctx.style)]);
};

const web: Command = async (ctx) => {
  // Loaded on demand: the other commands do not need the HTTP server.
  const { startWebServer } = await import('../web/server');
  const server = await startWebServer({ inspector: ctx.inspector, config: ctx.config, port: intOption(ctx, 'port', 8090) });
  ctx.print([`Saga inspector on ${ctx.style.bold(server.url)}  (${ctx.config.stateMachine}; Ctrl+C to stop)`]);
  await ctx.untilInterrupted();
  await server.close();
};

export const COMMAND_HANDLERS: Record<string, Command> = { list, show, history, replay, graph, stop, redrive, stats, web };
