import type { ColdStartResults } from './cold-start';
import type { HotPathResults } from './hot-path';

/** Markdown and console tables of the bench results (pure: tested in tools/perf/test). */

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
export const ms = (value: number, digits = 1) => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a');
export const times = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)}×`);
export const mark = (ok: boolean) => (ok ? 'yes' : '**no**');

/** A GitHub-flavoured markdown table; cells are escaped for `|`. */
export function markdownTable(header: string[], rows: Array<Array<string | number>>, align?: Array<'l' | 'r'>): string {
  const esc = (cell: string | number) => String(cell).replace(/\|/g, '\\|');
  const rule = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [header, rule, ...rows.map((row) => row.map(esc))].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

export function topPackages(packages: Array<{ name: string; bytes: number }>, count = 3): string {
  return packages
    .slice(0, count)
    .map((p) => `${p.name.replace(/^project:/, '')} ${kib(p.bytes)}`)
    .join(', ');
}

type FunctionRow = ColdStartResults['functions'][number];

/** Every target met. */
export const allTargetsMet = (f: FunctionRow) => f.targets.halfNaiveSize && f.targets.halfNaiveInit && f.targets.under60msBeyondEmpty;

/** Targets missed that the function's AWS SDK clients alone do not already miss. */
export function missedByProject(f: FunctionRow): string[] {
  const t = f.targets;
  return [
    !t.halfNaiveSize && 'size',
    !t.halfNaiveInit && !t.sdkBound.init && 'init',
    !t.under60msBeyondEmpty && !t.sdkBound.beyondEmpty && '60 ms',
  ].filter((m): m is string => Boolean(m));
}

/**
 * "yes"; or "SDK-bound" when every miss is one its AWS SDK clients alone already make (their
 * figures given); or "no" with the targets the project itself misses.
 */
export function targetsCell(f: FunctionRow): string {
  if (allTargetsMet(f)) return 'yes';
  const t = f.targets;
  const sdk = f.sdkClients;
  const sdkFigures = sdk
    ? [t.sdkBound.init && `init ${times(sdk.vsNaive)} naive`, t.sdkBound.beyondEmpty && `${ms(sdk.initBeyondEmptyMs)} beyond empty`].filter(Boolean).join(', ')
    : '';
  const missed = missedByProject(f);
  if (missed.length === 0) return `SDK-bound (its SDK clients alone: ${sdkFigures})`;
  return `**no** (${missed.join(', ')}${sdkFigures ? `; its SDK clients alone: ${sdkFigures}` : ''})`;
}

export function coldStartTable(results: ColdStartResults): string {
  const header = ['function', 'bundle', 'naive', 'size vs naive', 'init', 'naive init', 'init vs naive', 'beyond empty (CPU)', 'SDK clients alone', 'beyond SDK clients', 'targets met', 'largest inputs'];
  const rows = results.functions.map((f) => [
    `${f.service}.${f.name}`,
    kib(f.project.bytes),
    kib(f.naive.bytes),
    times(f.sizeVsNaive),
    ms(f.project.initMs.median),
    ms(f.naive.initMs.median),
    times(f.initVsNaive),
    `${ms(f.initBeyondEmptyMs)} (${ms(f.cpuBeyondEmptyMs)})`,
    f.sdkClients ? `${f.sdkClients.clients.join(' + ')}: ${kib(f.sdkClients.bytes)}, ${ms(f.sdkClients.initBeyondEmptyMs)}` : '-',
    f.beyondSdkClientsMs !== undefined ? ms(f.beyondSdkClientsMs) : '-',
    targetsCell(f),
    topPackages(f.project.packages),
  ]);
  return markdownTable(header, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l']);
}

export function dependencyTable(results: ColdStartResults): string {
  const header = ['dependency (tools/perf/fixtures)', 'bundle', 'init beyond empty', 'naive bundle', 'naive init beyond empty'];
  const rows = results.dependencies.map((d) => [
    `${d.name}: ${d.description}`,
    kib(d.project.bytes),
    ms(d.projectBeyondEmptyMs),
    kib(d.naive.bytes),
    ms(d.naiveBeyondEmptyMs),
  ]);
  return markdownTable(header, rows, ['l', 'r', 'r', 'r', 'r']);
}

export function coldStartSummary(results: ColdStartResults): string {
  const fns = results.functions;
  const met = fns.filter(allTargetsMet).length;
  const bySdk = fns.filter((f) => !allTargetsMet(f) && missedByProject(f).length === 0);
  const worst = [...fns].sort((a, b) => b.initBeyondEmptyMs - a.initBeyondEmptyMs)[0];
  const above = fns.filter((f) => f.beyondSdkClientsMs !== undefined).map((f) => f.beyondSdkClientsMs!);
  const m = results.machine;
  return [
    `Empty handler: ${kib(results.empty.bytes)}, init ${ms(results.empty.initMs.median, 2)} (process wall ${ms(results.empty.wallMs.median)}).`,
    `${met} of ${fns.length} functions meet every target (≤ ${results.targets.maxShareOfNaive}× naive size and init, < ${results.targets.maxInitBeyondEmptyMs} ms beyond empty; ` +
      `a function whose naive bundle is under ${results.targets.floorNaiveBytes / 1024} KiB, or whose init is within ${results.targets.floorBeyondEmptyMs} ms of empty, is at the floor for the ratios).` +
      (bySdk.length > 0 ? ` ${bySdk.length} more are SDK-bound: they miss only targets that their AWS SDK clients alone, measured beside them, already miss.` : '') +
      (worst ? ` Slowest: ${worst.service}.${worst.name}, ${ms(worst.initBeyondEmptyMs)} beyond empty.` : ''),
    ...(above.length > 0 ? [`What the project adds above its SDK clients: ${ms(Math.min(...above))} to ${ms(Math.max(...above))}.`] : []),
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}; load average at start ${m.loadAverageAtStart.join(' / ')}; ${results.rounds} rounds.`,
    `Reproduce: \`${results.command}\``,
  ].join('\n');
}

export function hotPathTable(results: HotPathResults): string {
  const header = ['target', 'p50', 'p99', 'throughput', 'vs hello (p50 / p99 / throughput)', 'non-2xx / errors'];
  const rows = results.targets.map((t) => {
    const r = t.target === 'GET /orders/{id}' ? results.ratios.getVsHello : t.target === 'POST /orders' ? results.ratios.postVsHello : undefined;
    return [
      t.target,
      ms(t.p50, 0),
      ms(t.p99, 0),
      `${t.requestsPerSecond.toFixed(0)} req/s`,
      r ? `${times(r.p50)} / ${times(r.p99)} / ${times(r.throughput)}` : '1 (the floor)',
      `${t.non2xx} / ${t.errors}`,
    ];
  });
  return markdownTable(header, rows, ['l', 'r', 'r', 'r', 'r', 'r']);
}

export function hotPathSummary(results: HotPathResults): string {
  const m = results.machine;
  return [
    ...results.notes.map((n) => `Note: ${n}`),
    `serverless-offline ${results.settings.offlineMode}; stack ${results.settings.stackOwned ? 'started by the bench' : 'already running'}; ${results.settings.auth}.`,
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; load average at start ${m.loadAverageAtStart.join(' / ')}.`,
    `Reproduce: \`${results.command}\``,
  ].join('\n');
}
