import { durationOf, EXECUTION_STATUSES, type ExecutionStatus } from '../core/execution';
import { renderSvg } from '../core/svg';
import { parseSince } from '../core/time';
import type { InspectorConfig } from '../app/config';
import type { SagaInspector } from '../app/inspector';
import { InspectorError } from '../errors';

/**
 * The JSON API the page calls. Routes are matched on decoded path segments; an execution is named
 * by its ARN or its order id (the execution name), URL-encoded as one segment.
 */
export interface ApiRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  /** Sent as a download (history export). */
  filename?: string;
}

const ok = (body: unknown, filename?: string): ApiResponse => ({ status: 200, body, ...(filename && { filename }) });

export async function handleApi(request: ApiRequest, inspector: SagaInspector, config: InspectorConfig): Promise<ApiResponse> {
  const [resource, id, action, ...extra] = request.segments;
  const { method, query } = request;
  if (extra.length > 0) throw notFound();

  if (resource === 'config' && !id && method === 'GET') return ok(await describeConfig(inspector, config));

  if (resource === 'graph' && !id && method === 'GET') {
    const view = await inspector.graph();
    return ok({ title: view.title, svg: renderSvg(view.layout, undefined, { title: view.title }) });
  }

  if (resource === 'stats' && !id && method === 'GET') {
    const until = query.get('until');
    return ok(await inspector.stats({ since: parseSince(query.get('since') || '24h'), ...(until && { until: parseSince(until) }) }));
  }

  if (resource === 'compare' && id && action && method === 'GET') return ok(await comparePage(inspector, id, action));

  if (resource !== 'executions') throw notFound();
  if (!id) {
    if (method !== 'GET') throw methodNotAllowed();
    return ok(await listPage(inspector, query));
  }
  if (!action) {
    if (method !== 'GET') throw methodNotAllowed();
    const details = await inspector.show(id, { events: true });
    const svg = renderSvg(details.graph, details.path, { title: details.summary.name, finished: details.summary.status !== 'RUNNING' });
    return ok({ ...details, svg });
  }
  if (action === 'history' && method === 'GET') {
    const exported = await inspector.exportExecution(id, { mask: query.get('mask') !== 'false' });
    return ok(exported, `${id.split(':').at(-1)}-history.json`);
  }
  if (action === 'replay' && method === 'POST') {
    if (config.target === 'aws') throw new InspectorError('UNSUPPORTED', 'a replay runs on the local stack; this page looks at AWS');
    const definition = query.get('definition') === 'original' ? 'original' : 'today';
    return ok(await inspector.replay(await inspector.replaySource({ id }), { definition }));
  }
  if (action === 'stop' && method === 'POST') return ok(await inspector.stop(id));
  if (action === 'redrive' && method === 'POST') return ok(await inspector.redrive(id));
  throw notFound();
}

/** Both runs (graphs with their paths, timelines) and the state-by-state comparison. */
async function comparePage(inspector: SagaInspector, originalId: string, replayId: string) {
  const [comparison, original, replay] = await Promise.all([
    inspector.compare(originalId, replayId),
    inspector.show(originalId, { order: false }),
    inspector.show(replayId, { order: false }),
  ]);
  const svg = (details: typeof original) =>
    renderSvg(details.graph, details.path, { title: details.summary.name, finished: details.summary.status !== 'RUNNING' });
  // Both paths on one drawing: the replay's coloured and heavy, the original's dashed over it.
  const both = renderSvg(replay.graph, replay.path, { title: `${replay.summary.name} and ${original.summary.name}`, finished: replay.summary.status !== 'RUNNING', otherPath: original.path });
  return { comparison, svg: both, original: { ...original, svg: svg(original) }, replay: { ...replay, svg: svg(replay) } };
}

async function listPage(inspector: SagaInspector, query: URLSearchParams) {
  const status = query.get('status')?.toUpperCase();
  if (status && !(EXECUTION_STATUSES as readonly string[]).includes(status)) {
    throw new InspectorError('INVALID_ARGUMENT', `status must be one of ${EXECUTION_STATUSES.join(', ')}`);
  }
  const limit = Number(query.get('limit') ?? 25);
  const since = query.get('since');
  const page = await inspector.list({
    ...(status && { status: status as ExecutionStatus }),
    ...(since && { since: parseSince(since) }),
    ...(query.get('order') && { orderId: query.get('order')! }),
    ...(query.get('customer') && { customerId: query.get('customer')! }),
    limit: Number.isInteger(limit) ? limit : 25,
    ...(query.get('cursor') && { cursor: query.get('cursor')! }),
  });
  return { ...page, items: page.items.map((e) => ({ ...e, durationMs: durationOf(e) })) };
}

async function describeConfig(inspector: SagaInspector, config: InspectorConfig) {
  let stateMachine: { name: string; arn?: string; type?: string; error?: string };
  try {
    const machine = await inspector.stateMachine();
    stateMachine = { name: machine.name, arn: machine.arn, type: machine.type };
  } catch (error) {
    // The page still loads and says what is wrong (stack not started, wrong stage, ...).
    stateMachine = { name: config.stateMachine, error: (error as Error).message };
  }
  return {
    stateMachine,
    target: config.target,
    endpoint: config.sfn.endpoint ?? `AWS (${config.sfn.region})`,
    region: config.sfn.region,
    orderApi: config.orderApiUrl ?? null,
    compensationPatterns: config.compensationPatterns,
    /** Replays run on the local stack only, where they can seed what the saga reads. */
    replay: config.target !== 'aws' && config.localStack !== undefined,
  };
}

const notFound = () => new InspectorError('NOT_FOUND', 'no such API route');
const methodNotAllowed = () => new InspectorError('METHOD_NOT_ALLOWED', 'method not allowed on this route');
