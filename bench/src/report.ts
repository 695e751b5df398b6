import type { ColdStartResults } from './cold-start';
import type { HotPathResults } from './hot-path';

/** Markdown and console tables of the bench results (pure: tested in bench/test). */

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

/** "yes", or the targets a function misses; a missed 60 ms whose SDK clients alone cost more says so. */
export function targetsCell(f: ColdStartResults['functions'][number]): string {
  const t = f.targets;
  const missed = [!t.halfNaiveSize && 'size', !t.halfNaiveInit && 'init'].filter(Boolean);
  if (!t.under60msBeyondEmpty && !t.sdkClientsAloneOver60ms) missed.push('60 ms');
  const sdkNote = t.sdkClientsAloneOver60ms ? `60 ms: its SDK clients alone cost ${ms(f.sdkClients!.initBeyondEmptyMs)}` : '';
  if (missed.length === 0) return sdkNote ? `yes, except ${sdkNote}` : 'yes';
  return `**no** (${[...missed, sdkNote].filter(Boolean).join('; ')})`;
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
  const header = ['dependency (bench/fixtures)', 'bundle', 'init beyond empty', 'naive bundle', 'naive init beyond empty'];
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
  const allMet = (f: (typeof fns)[number]) => f.targets.halfNaiveSize && f.targets.halfNaiveInit && f.targets.under60msBeyondEmpty;
  const met = fns.filter(allMet).length;
  const bySdk = fns.filter((f) => !allMet(f) && f.targets.halfNaiveSize && f.targets.halfNaiveInit && f.targets.sdkClientsAloneOver60ms);
  const worst = [...fns].sort((a, b) => b.initBeyondEmptyMs - a.initBeyondEmptyMs)[0];
  const above = fns.filter((f) => f.beyondSdkClientsMs !== undefined).map((f) => f.beyondSdkClientsMs!);
  const m = results.machine;
  return [
    `Empty handler: ${kib(results.empty.bytes)}, init ${ms(results.empty.initMs.median, 2)} (process wall ${ms(results.empty.wallMs.median)}).`,
    `${met} of ${fns.length} functions meet every target (≤ ${results.targets.maxShareOfNaive}× naive size and init, < ${results.targets.maxInitBeyondEmptyMs} ms beyond empty; ` +
      `a function whose naive bundle is under ${results.targets.floorNaiveBytes / 1024} KiB, or whose init is within ${results.targets.floorBeyondEmptyMs} ms of empty, is at the floor for the ratios).` +
      (bySdk.length > 0 ? ` ${bySdk.length} more meet both ratios and miss the 60 ms only because their AWS SDK clients alone cost ${results.targets.maxInitBeyondEmptyMs} ms or more.` : '') +
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
