// Saga inspector page: plain JavaScript, no dependencies, everything from this server.
// Two views, chosen by the URL hash: the execution list (#/?status=...) and one execution
// (#/execution/<arn or order id>). All data comes from the JSON API under /api.

const LIST_REFRESH_MS = 3000;
const RUNNING_REFRESH_MS = 1500;
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
const WINDOWS = [
  ['', 'any time'],
  ['15m', 'last 15 min'],
  ['1h', 'last hour'],
  ['24h', 'last 24 h'],
  ['7d', 'last 7 days'],
];

const app = document.getElementById('app');
let timer;
let renderToken = 0;
let config;

// ---- helpers ----------------------------------------------------------------------------------

/** Builds an element; strings become text nodes (never HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

async function api(path, options = {}) {
  const response = await fetch(`/api${path}`, {
    ...options,
    headers: { accept: 'application/json', ...(options.body ? { 'content-type': 'application/json' } : {}) },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body?.error?.message ?? `${response.status} ${response.statusText}`);
  return body;
}

function formatDuration(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60000);
  if (m < 60) return `${m}m ${String(Math.floor((ms % 60000) / 1000)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

const time = (iso) => (iso ? new Date(iso).toLocaleString() : '–');
const badge = (status) => h('span', { class: `badge ${status}`, 'data-status': status }, status);
const executionLink = (arn) => `#/execution/${encodeURIComponent(arn)}`;

function prettyJson(text) {
  if (text === undefined || text === null) return '–';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return String(text);
  }
}

/** Lambda causes are JSON error objects; show their message. */
function causeMessage(cause) {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause);
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

function schedule(fn, ms) {
  clearTimeout(timer);
  // No polling while the tab is hidden; the visibilitychange handler re-renders.
  timer = setTimeout(() => (document.hidden ? undefined : fn()), ms);
}

function notice(message, kind = '') {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
}

// ---- routing ----------------------------------------------------------------------------------

function route() {
  clearTimeout(timer);
  const token = ++renderToken;
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  if (path.startsWith('/execution/')) return renderExecution(decodeURIComponent(path.slice('/execution/'.length)), token);
  if (path.startsWith('/compare/')) {
    const [original, replay] = path.slice('/compare/'.length).split('/').map(decodeURIComponent);
    return renderCompare(original, replay, token);
  }
  return renderList(new URLSearchParams(query), token);
}

window.addEventListener('hashchange', route);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) route();
});

async function loadConfig() {
  const target = document.getElementById('target');
  try {
    config = await api('/config');
    const machine = config.stateMachine;
    target.textContent = `${machine.name}${machine.type ? ` (${machine.type})` : ''} · ${config.endpoint}`;
    if (machine.error) {
      target.classList.add('error');
      target.title = machine.error;
    }
  } catch (error) {
    target.textContent = `not connected: ${error.message}`;
    target.classList.add('error');
  }
}

// ---- execution list ---------------------------------------------------------------------------

async function renderList(params, token) {
  if (config?.stateMachine?.type === 'EXPRESS') return renderExpress(token);
  const filters = {
    status: params.get('status') ?? '',
    since: params.get('since') ?? '',
    order: params.get('order') ?? '',
    customer: params.get('customer') ?? '',
  };
  const auto = params.get('auto') !== 'off';
  const setFilters = (change) => {
    const next = new URLSearchParams({ ...filters, auto: auto ? 'on' : 'off', ...change });
    for (const [key, value] of [...next]) if (!value) next.delete(key);
    location.hash = `/?${next}`;
  };

  const form = h(
    'form',
    { class: 'filters', onsubmit: (e) => (e.preventDefault(), setFilters(Object.fromEntries(new FormData(e.target)))) },
    h('label', {}, 'Status', h('select', { name: 'status', onchange: (e) => e.target.form.requestSubmit() },
      h('option', { value: '' }, 'all'),
      STATUSES.map((s) => h('option', { value: s, selected: s === filters.status }, s)))),
    h('label', {}, 'Started', h('select', { name: 'since', onchange: (e) => e.target.form.requestSubmit() },
      WINDOWS.map(([v, label]) => h('option', { value: v, selected: v === filters.since }, label)))),
    h('label', {}, 'Order id', h('input', { name: 'order', value: filters.order, placeholder: 'exact order id', size: 18 })),
    h('label', {}, 'Customer', h('input', { name: 'customer', value: filters.customer, placeholder: 'customer id', size: 14 })),
    h('button', { type: 'submit' }, 'Apply'),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: auto, onchange: (e) => setFilters({ auto: e.target.checked ? 'on' : 'off' }) }), 'auto-refresh'),
  );
  const status = h('span', { class: 'muted', id: 'list-status' }, 'loading…');
  const body = h('tbody');
  const more = h('div', {});
  app.replaceChildren(
    h('div', { class: 'card' }, form),
    h('div', { class: 'card' },
      h('div', { class: 'toolbar' }, h('h2', {}, 'Executions'), status),
      h('table', { id: 'executions' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Status'), h('th', {}, 'Order'), h('th', {}, 'Started'), h('th', { class: 'num' }, 'Duration'), h('th', { class: 'num' }, 'Redrives'))),
        body),
      more),
  );

  const query = new URLSearchParams({ limit: '25' });
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);

  const rowOf = (e) =>
    h('tr', { class: 'clickable', 'data-execution': e.name, onclick: () => (location.hash = executionLink(e.executionArn)) },
      h('td', {}, badge(e.status)),
      h('td', {}, h('a', { href: executionLink(e.executionArn) }, e.name)),
      h('td', {}, time(e.startDate)),
      h('td', { class: 'num' }, formatDuration(e.durationMs), e.stopDate ? '' : ' …'),
      h('td', { class: 'num' }, e.redriveCount ? String(e.redriveCount) : ''));

  let paged = false;
  const load = async (cursor) => {
    try {
      const page = await api(`/executions?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (token !== renderToken) return;
      if (!cursor) body.replaceChildren(...page.items.map(rowOf));
      else body.append(...page.items.map(rowOf));
      if (body.children.length === 0) body.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No executions match these filters.')));
      more.replaceChildren(
        page.nextCursor
          ? h('button', { type: 'button', onclick: () => ((paged = true), load(page.nextCursor)) }, 'Load more')
          : '',
      );
      status.textContent = `${body.querySelectorAll('tr[data-execution]').length} shown · updated ${new Date().toLocaleTimeString()}${auto && !paged ? ' · refreshing' : ''}`;
      status.classList.remove('error');
    } catch (error) {
      if (token !== renderToken) return;
      status.textContent = `error: ${error.message}`;
    }
    // Refreshing would drop the extra pages someone loaded, so paging pauses it.
    if (auto && !paged && token === renderToken) schedule(() => token === renderToken && load(), LIST_REFRESH_MS);
  };
  await load();
}

/** Express workflows keep no execution history in the API: say so, and still draw the definition. */
async function renderExpress(token) {
  const graph = await api('/graph').catch((error) => ({ svg: '', error }));
  if (token !== renderToken) return;
  const wrap = h('div', { class: 'graph-wrap', id: 'graph' });
  wrap.innerHTML = graph.svg; // built and escaped by the inspector (src/core/svg.ts)
  app.replaceChildren(
    notice(`${config.stateMachine.name} is an EXPRESS state machine: Step Functions does not list or describe its executions. ` +
      'Inspect one from its CloudWatch Logs records with: npm run saga -- show <orderId> --from-file <logs.json> (see ops/inspector/README.md).'),
    h('div', { class: 'card' }, h('h2', {}, 'State machine definition'), wrap),
  );
}

// ---- one execution ----------------------------------------------------------------------------

async function renderExecution(id, token) {
  if (!app.querySelector(`[data-view="execution"][data-id="${CSS.escape(id)}"]`)) {
    app.replaceChildren(h('p', { class: 'muted' }, 'loading…'));
  }
  let details;
  try {
    details = await api(`/executions/${encodeURIComponent(id)}`);
  } catch (error) {
    if (token !== renderToken) return;
    app.replaceChildren(h('p', {}, h('a', { href: '#/' }, '← executions')), notice(error.message, 'error'));
    return;
  }
  if (token !== renderToken) return;
  const openRows = new Set([...app.querySelectorAll('tr.detail')].map((row) => row.dataset.for));
  const { summary, execution } = details;
  const view = h('div', { 'data-view': 'execution', 'data-id': id },
    h('p', {}, h('a', { href: '#/' }, '← executions')),
    header(details, id),
    h('div', { class: 'row' }, summaryCard(details), orderCard(details)),
    graphCard(details),
    timelineCard(details, openRows),
    h('div', { class: 'row' },
      h('div', { class: 'card' }, h('h2', {}, 'Execution input'), h('pre', { id: 'execution-input' }, prettyJson(execution.input))),
      h('div', { class: 'card' }, h('h2', {}, summary.status === 'SUCCEEDED' ? 'Execution output' : 'Execution output / error'),
        h('pre', { id: 'execution-output' }, execution.output ? prettyJson(execution.output) : summary.error ? `${summary.error}\n\n${prettyJson(summary.cause ?? '')}` : '–'))),
    eventsCard(details),
  );
  const scroll = window.scrollY;
  app.replaceChildren(view);
  window.scrollTo(0, scroll);
  if (summary.status === 'RUNNING') schedule(() => token === renderToken && renderExecution(id, token), RUNNING_REFRESH_MS);
}

function header(details, id) {
  const { summary, execution } = details;
  const redrivable = execution.redriveStatus ? execution.redriveStatus === 'REDRIVABLE' : ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(summary.status);
  const act = (action, question) => async (event) => {
    if (!window.confirm(question)) return;
    const button = event.target;
    button.disabled = true;
    try {
      await api(`/executions/${encodeURIComponent(execution.executionArn)}/${action}`, { method: 'POST', body: '{}' });
      route();
    } catch (error) {
      button.disabled = false;
      button.parentElement.parentElement.after(notice(`${action} failed: ${error.message}`, 'error'));
    }
  };
  return h('div', { class: 'exec-head' },
    h('h1', {}, summary.name),
    h('span', { id: 'execution-status' }, badge(summary.status)),
    summary.compensated ? h('span', { class: 'tag compensation' }, 'compensated') : '',
    summary.redriveCount ? h('span', { class: 'tag run' }, `redriven ${summary.redriveCount}×`) : '',
    h('div', { class: 'actions' },
      h('a', { href: `/api/executions/${encodeURIComponent(id)}/history`, download: `${summary.name}-history.json` }, h('button', { type: 'button' }, 'Export history')),
      config?.replay && summary.status !== 'RUNNING'
        ? h('button', { type: 'button', id: 'replay', title: "Run it again on the local stack with today's code, then compare", onclick: replayLocally(execution, summary) }, 'Replay locally')
        : '',
      h('button', { type: 'button', class: 'danger', id: 'stop', disabled: summary.status !== 'RUNNING', onclick: act('stop', `Stop ${summary.name}? Its saga will not compensate.`) }, 'Stop'),
      h('button', { type: 'button', class: 'primary', id: 'redrive', disabled: !redrivable, title: execution.redriveStatusReason ?? '', onclick: act('redrive', `Redrive ${summary.name} from where it failed?`) }, 'Redrive')));
}

/** Starts a replay (seeding the order row and stock it lacks), then shows the comparison. */
function replayLocally(execution, summary) {
  return async (event) => {
    if (!window.confirm(`Replay ${summary.name} on the local stack with today's code? It runs as a new order (seeded), the original stays as it is.`)) return;
    const button = event.target;
    button.disabled = true;
    try {
      const started = await api(`/executions/${encodeURIComponent(execution.executionArn)}/replay`, { method: 'POST', body: '{}' });
      location.hash = `#/compare/${encodeURIComponent(execution.name)}/${encodeURIComponent(started.replay.name)}`;
    } catch (error) {
      button.disabled = false;
      button.parentElement.parentElement.after(notice(`replay failed: ${error.message}`, 'error'));
    }
  };
}

// ---- a replay beside its original ---------------------------------------------------------------

async function renderCompare(originalId, replayId, token) {
  if (!app.querySelector('[data-view="compare"]')) app.replaceChildren(h('p', { class: 'muted' }, 'loading…'));
  let page;
  try {
    page = await api(`/compare/${encodeURIComponent(originalId)}/${encodeURIComponent(replayId)}`);
  } catch (error) {
    if (token !== renderToken) return;
    app.replaceChildren(h('p', {}, h('a', { href: '#/' }, '← executions')), notice(error.message, 'error'));
    return;
  }
  if (token !== renderToken) return;
  const { comparison, original, replay } = page;
  const divergence = comparison.divergence;
  const side = (label, details) =>
    h('div', { class: 'card', 'data-side': label },
      h('div', { class: 'toolbar' },
        h('h2', {}, `${label}: `, h('a', { href: executionLink(details.execution.executionArn) }, details.summary.name)),
        badge(details.summary.status)),
      graphOf(details, divergence?.state));
  const view = h('div', { 'data-view': 'compare', 'data-id': `${originalId}/${replayId}` },
    h('p', {}, h('a', { href: executionLink(original.execution.executionArn) }, `← ${original.summary.name}`)),
    h('div', { class: 'exec-head' },
      h('h1', {}, `Replay ${replay.summary.name}`),
      h('span', { id: 'replay-status' }, badge(replay.summary.status)),
      h('span', { class: 'muted' }, `of ${original.summary.name} `, badge(original.summary.status))),
    divergence
      ? h('div', { class: 'notice divergence', id: 'divergence', 'data-state': divergence.state },
        'The runs part at ', h('strong', {}, divergence.state), `: original ${divergence.original}, replay ${divergence.replay}.`)
      : replay.summary.status === 'RUNNING'
        ? notice('The replay is running…')
        : h('div', { class: 'notice same', id: 'divergence' }, 'No divergence: the replay went the same way, state by state.'),
    comparisonCard(comparison),
    bothPathsCard(page, divergence?.state),
    h('div', { class: 'row compare' }, side('Original', original), side('Replay', replay)),
    h('div', { class: 'row compare' }, timelineCard(original, new Set()), timelineCard(replay, new Set())),
  );
  app.replaceChildren(view);
  if (replay.summary.status === 'RUNNING') schedule(() => token === renderToken && renderCompare(originalId, replayId, token), RUNNING_REFRESH_MS);
}

/** One graph, both runs: the replay's path coloured and heavy, the original's dashed over it. */
function bothPathsCard(page, divergentState) {
  const wrap = graphOf({ svg: page.svg }, divergentState);
  wrap.id = 'both-paths';
  const legend = h('div', { class: 'legend' },
    h('span', {}, '— heavy arrows, colours: the replay'),
    h('span', { class: 'other-path' }, '- - dashed: the original\'s path'),
    h('span', {}, '≠ ended otherwise in the original (hover a state)'));
  return h('div', { class: 'card' }, h('h2', {}, 'Both paths'), legend, wrap);
}

function graphOf(details, divergentState) {
  const wrap = h('div', { class: 'graph-wrap' });
  wrap.innerHTML = details.svg; // built and escaped by the inspector (src/core/svg.ts)
  if (divergentState) wrap.querySelector(`[data-state="${CSS.escape(divergentState)}"]`)?.classList.add('g-divergence');
  return wrap;
}

function comparisonCard(comparison) {
  const cell = (run) => {
    if (!run.entered) return h('td', { class: 'muted' }, 'not entered');
    return h('td', {},
      badge(run.status), run.error ? h('span', { class: 'name' }, ` ${run.error}`) : '',
      run.retries > 0 ? h('span', { class: 'tag retries', title: 'retries' }, `↻ ${run.retries}`) : '',
      h('span', { class: 'muted' }, ` ${formatDuration(run.durationMs)}`),
      run.cause ? h('div', { class: 'muted cause' }, causeMessage(run.cause)) : '');
  };
  const rows = comparison.states.map((state) =>
    h('tr', { 'data-state': state.name, 'data-same': String(state.same), class: state.firstDivergence ? 'divergence' : state.same ? '' : 'differs' },
      h('td', {}, state.firstDivergence ? '▶' : state.same ? '' : '≠'),
      h('td', {}, state.name, state.compensation ? h('span', { class: 'tag compensation' }, '↺') : ''),
      cell(state.original),
      cell(state.replay)));
  return h('div', { class: 'card' },
    h('div', { class: 'toolbar' }, h('h2', {}, 'State by state'), h('span', { class: 'muted' }, 'entered, outcome, error and cause, retries, duration')),
    h('table', { id: 'comparison' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'State'), h('th', {}, `Original ${comparison.original.name}`), h('th', {}, `Replay ${comparison.replay.name}`))),
      h('tbody', {}, rows)));
}

function fact(label, value) {
  return h('div', { class: 'fact' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
}

function summaryCard({ summary }) {
  const card = h('div', { class: 'card', id: 'summary' },
    h('h2', {}, 'Summary'),
    h('div', { class: 'facts' },
      fact('Status', badge(summary.status)),
      fact('Duration', formatDuration(summary.durationMs)),
      fact('Transitions', String(summary.transitions)),
      fact('Retries', String(summary.retries)),
      fact('Redrives', String(summary.redriveCount)),
      fact('Started', time(summary.startedAt)),
      fact('Stopped', time(summary.stoppedAt))));
  if (summary.error || summary.cause) {
    card.append(h('div', { class: 'error-box', id: 'error' },
      h('div', { class: 'name' }, summary.error ?? 'Error'),
      summary.failedState ? h('div', {}, 'in state ', h('strong', {}, summary.failedState)) : '',
      h('div', {}, causeMessage(summary.cause))));
  }
  if (summary.trigger) {
    card.append(h('div', { class: 'trigger' }, 'Triggered by ', h('strong', {}, summary.trigger.state), ': ',
      h('span', { class: 'badge caught' }, summary.trigger.error ?? 'error'), ' ', causeMessage(summary.trigger.cause)));
  }
  if (summary.compensated) {
    card.append(h('div', { class: 'chain', id: 'compensations' }, 'Compensations: ',
      summary.compensations.flatMap((name, i) => [i > 0 ? ' → ' : '', h('span', { class: 'tag compensation' }, `↺ ${name}`)])));
  }
  return card;
}

function orderCard({ order, summary }) {
  const card = h('div', { class: 'card', id: 'order' }, h('h2', {}, `Order ${summary.name}`));
  if (!order) card.append(h('p', { class: 'muted' }, 'No order API configured.'));
  else if (order.state === 'missing') card.append(h('p', { class: 'muted' }, 'The order API has no such order.'));
  else if (order.state === 'unavailable') card.append(h('p', { class: 'muted' }, `Order API unavailable: ${order.reason}`));
  else {
    const { status, failureReason } = order.record;
    const look = status === 'CONFIRMED' ? 'SUCCEEDED' : status === 'FAILED' ? 'FAILED' : 'RUNNING';
    card.append(
      h('p', {}, 'Current status ', h('span', { class: `badge ${look}`, id: 'order-status' }, String(status)), failureReason ? ` · ${failureReason}` : ''),
      h('pre', {}, JSON.stringify(order.record, null, 2)),
    );
  }
  return card;
}

function graphCard(details) {
  const wrap = h('div', { class: 'graph-wrap', id: 'graph' });
  // The SVG is built by the inspector's own renderer, with every label escaped (src/core/svg.ts).
  wrap.innerHTML = details.svg;
  wrap.addEventListener('click', (event) => {
    const node = event.target.closest('[data-state]');
    if (!node) return;
    const rows = document.querySelectorAll(`tr[data-state="${CSS.escape(node.dataset.state)}"]`);
    document.querySelectorAll('tr.highlight').forEach((r) => r.classList.remove('highlight'));
    rows.forEach((r) => r.classList.add('highlight'));
    rows[0]?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  });
  const legend = h('div', { class: 'legend' },
    ...[['succeeded', 'succeeded'], ['caught', 'failed, caught (saga compensates)'], ['failed', 'failed'], ['running', 'running'], ['idle', 'not run'], ['compensation', 'compensation state']].map(([cls, label]) =>
      h('span', {}, h('span', { class: `swatch ${cls}` }), label)),
    h('span', {}, '— heavy arrows: the path taken'));
  return h('div', { class: 'card' }, h('h2', {}, 'State machine'), legend, wrap);
}

function timelineCard({ timeline, summary }, openRows) {
  const total = Math.max(1, summary.durationMs, ...timeline.map((e) => e.offsetMs + (e.durationMs ?? 0)));
  const body = h('tbody');
  let run = 0;
  timeline.forEach((entry, index) => {
    if (entry.run !== run) {
      run = entry.run;
      body.append(h('tr', {}, h('td', { colspan: 7 }, h('span', { class: 'tag run' }, `redrive ${run}`))));
    }
    const key = String(entry.id);
    const detail = h('tr', { class: 'detail', 'data-for': key, hidden: !openRows.has(key) },
      h('td', { colspan: 7 },
        entry.error ? h('div', { class: 'error-box' }, h('span', { class: 'name' }, entry.error), ' ', causeMessage(entry.cause)) : '',
        h('div', { class: 'io' },
          h('div', {}, h('h3', {}, 'Input'), h('pre', {}, prettyJson(entry.input))),
          h('div', {}, h('h3', {}, 'Output'), h('pre', {}, entry.output === undefined ? '–' : prettyJson(entry.output))))));
    const left = (entry.offsetMs / total) * 100;
    const width = Math.max(0.4, ((entry.durationMs ?? total - entry.offsetMs) / total) * 100);
    const row = h('tr', {
      class: 'clickable',
      'data-state': entry.name,
      'data-status': entry.status,
      'data-compensation': String(entry.compensation),
      onclick: () => (detail.hidden = !detail.hidden),
    },
      h('td', { class: 'num muted' }, String(index + 1)),
      h('td', {}, '\u00a0\u00a0'.repeat(entry.depth), entry.name,
        entry.iteration !== undefined ? h('span', { class: 'muted' }, ` [${entry.iteration}]`) : '',
        entry.compensation ? h('span', { class: 'tag compensation' }, '↺ compensation') : '',
        entry.retries > 0 ? h('span', { class: 'tag retries', title: 'retries' }, `↻ ${entry.retries}`) : ''),
      h('td', { class: 'muted' }, entry.type),
      h('td', {}, badge(entry.status)),
      h('td', { class: 'bar-cell' }, h('div', { class: 'bar-track' }, h('div', { class: `bar ${entry.status}`, style: `left:${left}%;width:${Math.min(width, 100 - left)}%` }))),
      h('td', { class: 'num' }, `+${formatDuration(entry.offsetMs)}`),
      h('td', { class: 'num' }, formatDuration(entry.durationMs)));
    body.append(row, detail);
  });
  return h('div', { class: 'card' },
    h('div', { class: 'toolbar' }, h('h2', {}, 'Timeline'), h('span', { class: 'muted' }, 'click a row for its input and output')),
    h('table', { class: 'timeline', id: 'timeline' },
      h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'State'), h('th', {}, 'Type'), h('th', {}, 'Status'), h('th', {}, ''), h('th', { class: 'num' }, 'Start'), h('th', { class: 'num' }, 'Duration'))),
      body));
}

function eventsCard({ events = [] }) {
  const start = events.length ? Date.parse(events[0].timestamp) : 0;
  const rows = events.map((event) => {
    const detailsKey = Object.keys(event).find((k) => k.endsWith('EventDetails'));
    const details = detailsKey ? event[detailsKey] : undefined;
    const name = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? '';
    const cls = /Failed|TimedOut|Aborted/.test(event.type) ? 'bad' : /Succeeded/.test(event.type) ? 'good' : '';
    return h('tr', {},
      h('td', { class: 'num' }, String(event.id)),
      h('td', { class: 'num' }, `+${formatDuration(Date.parse(event.timestamp) - start)}`),
      h('td', { class: `type ${cls}` }, event.type),
      h('td', {}, name),
      h('td', {}, details ? h('details', {}, h('summary', {}, details.error ?? 'details'), h('pre', {}, JSON.stringify(details, null, 2))) : ''));
  });
  return h('div', { class: 'card' },
    h('h2', {}, `Events (${events.length})`),
    h('table', { class: 'events', id: 'events' },
      h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'ID'), h('th', { class: 'num' }, 'Time'), h('th', {}, 'Type'), h('th', {}, 'State'), h('th', {}, 'Details'))),
      h('tbody', {}, rows)));
}

// The list view needs to know the workflow type before it asks for executions.
loadConfig().then(route);
