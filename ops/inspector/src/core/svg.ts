import { END_ID, type GraphLayout, type LayoutEdge, type LayoutNode, START_ID } from './layout';
import type { PathTaken, StateOutcome } from './path';

/**
 * The graph as a self-contained SVG (its own styles): the web page inlines it, `graph --svg`
 * writes it to a file. States are coloured by the outcome of their latest visit, compensation
 * states are dashed, and the transitions the execution took are drawn heavy.
 */
const STYLE = `
.g-edge{fill:none;stroke:#b0b7c3;stroke-width:1.4}
.g-edge--catch{stroke-dasharray:5 4}
.g-edge--taken{stroke:#37474f;stroke-width:2.6}
.g-edge--taken.g-edge--catch{stroke:#e65100}
.g-edge-label{font:10px ui-sans-serif,system-ui,sans-serif;fill:#78909c;paint-order:stroke;stroke:#fff;stroke-width:3px}
.g-node rect{fill:#fafafa;stroke:#9e9e9e;stroke-width:1.5}
.g-box>rect{fill:#f5f7fa;stroke:#b0bec5;stroke-width:1.2}
.g-box-title{font:600 12px ui-sans-serif,system-ui,sans-serif;fill:#455a64}
.g-node text{font:600 13px ui-sans-serif,system-ui,sans-serif;fill:#263238}
.g-node .g-sub{font:400 10.5px ui-sans-serif,system-ui,sans-serif;fill:#607d8b}
.g-node--compensation rect{stroke-dasharray:6 3}
.g-node--succeeded rect{fill:#e8f5e9;stroke:#2e7d32}
.g-node--failed rect{fill:#ffebee;stroke:#c62828;stroke-width:2.5}
.g-node--caught rect{fill:#fff3e0;stroke:#ef6c00;stroke-width:2.5}
.g-node--running rect{fill:#e3f2fd;stroke:#1565c0;stroke-width:2.5}
.g-node--aborted rect,.g-node--timedOut rect{fill:#efebe9;stroke:#6d4c41}
.g-node--idle text{fill:#90a4ae}
.g-terminal circle,.g-terminal rect{fill:#eceff1;stroke:#90a4ae}
.g-terminal--reached circle,.g-terminal--reached rect{fill:#37474f;stroke:#37474f}
.g-terminal text{font:600 10px ui-sans-serif,system-ui,sans-serif;fill:#607d8b}
.g-terminal--reached text{fill:#fff}
.g-node text.g-badge{font:700 10px ui-sans-serif,system-ui,sans-serif;fill:#fff}
.g-node rect.g-badge-bg{fill:#546e7a;stroke:none;stroke-dasharray:none}
.g-node[data-state]{cursor:pointer}
.g-edge--other{fill:none;stroke:#ad1457;stroke-width:2.2;stroke-dasharray:5 4}
.g-node--changed rect.g-badge-bg{fill:#ad1457}
`;

export interface SvgOptions {
  /** Accessible title of the drawing. */
  title?: string;
  /** The execution has ended: the End terminal is drawn as reached. */
  finished?: boolean;
  /**
   * Another run's path over the same graph (a replay's original): its transitions drawn dashed
   * over this run's, its outcome of each state in `data-other-status`, states that ended otherwise marked ≠.
   */
  otherPath?: PathTaken;
}

export function renderSvg(layout: GraphLayout, path?: PathTaken, options: SvgOptions = {}): string {
  const outcome = (id: string) => path?.states[id];
  const boxes = layout.nodes.filter((n) => n.compound).map((n) => renderBox(n, outcome(n.id)));
  const other = options.otherPath;
  const edges = layout.edges.map((e) => renderEdge(e, isTaken(e, path), other !== undefined && isTaken(e, other)));
  const nodes = layout.nodes
    .filter((n) => !n.compound)
    .map((n) => renderNode(n, outcome(n.id), path, options.finished === true, other && { status: other.states[n.id]?.status ?? 'idle' }));
  const width = Math.ceil(layout.width);
  const height = Math.ceil(layout.height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="saga-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<title>${escapeXml(options.title ?? 'State machine')}</title>`,
    `<style>${STYLE}</style>`,
    '<defs>',
    marker('arrow', '#b0b7c3'),
    marker('arrow-taken', '#37474f'),
    marker('arrow-caught', '#e65100'),
    ...(other ? [marker('arrow-other', '#ad1457')] : []),
    '</defs>',
    ...boxes,
    ...edges,
    ...nodes,
    '</svg>',
  ].join('\n');
}

function marker(id: string, colour: string): string {
  return `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${colour}"/></marker>`;
}

/** A transition was taken if the timeline holds it; terminals if their neighbour was reached. */
export function isTaken(edge: Pick<LayoutEdge, 'from' | 'to' | 'kind'>, path?: PathTaken): boolean {
  if (!path) return false;
  if (edge.from === START_ID) return path.states[edge.to] !== undefined;
  if (edge.to === END_ID) {
    const status = path.states[edge.from]?.status;
    return status === 'succeeded' || status === 'failed';
  }
  return path.transitions.some((t) => t.from === edge.from && t.to === edge.to && (t.kind === undefined || t.kind === edge.kind));
}

function renderEdge(edge: LayoutEdge, taken: boolean, takenByOther = false): string {
  const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
  const classes = ['g-edge', `g-edge--${edge.kind}`, taken ? 'g-edge--taken' : ''].filter(Boolean).join(' ');
  const arrow = taken ? (edge.kind === 'catch' ? 'arrow-caught' : 'arrow-taken') : 'arrow';
  const parts = [
    `<g class="g-edge-group" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}" data-kind="${edge.kind}" data-taken="${taken}"${takenByOther ? ' data-other-taken="true"' : ''}>`,
    `<path class="${classes}" d="${d}" marker-end="url(#${arrow})"/>`,
  ];
  if (takenByOther) parts.push(`<path class="g-edge--other" d="${d}" marker-end="url(#arrow-other)"/>`);
  const labelAt = labelPoint(edge);
  if (edge.label && edge.kind !== 'next' && labelAt) {
    const text = edge.label.length > 28 ? `${edge.label.slice(0, 27)}…` : edge.label;
    parts.push(`<text class="g-edge-label" x="${round(labelAt.x + 4)}" y="${round(labelAt.y - 3)}">${escapeXml(text)}</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

function renderBox(node: LayoutNode, outcome?: StateOutcome): string {
  const status = outcome?.status ?? 'idle';
  return [
    `<g class="g-box g-node--${status}" data-box="${escapeXml(node.id)}">`,
    `<rect x="${round(node.x)}" y="${round(node.y)}" width="${round(node.width)}" height="${round(node.height)}" rx="10"/>`,
    `<text class="g-box-title" x="${round(node.x + 12)}" y="${round(node.y + 19)}">${escapeXml(node.label)} · ${escapeXml(node.type)}${outcome ? ` · ${outcome.status}` : ''}</text>`,
    '</g>',
  ].join('');
}

function renderNode(node: LayoutNode, outcome: StateOutcome | undefined, path: PathTaken | undefined, finished: boolean, other?: { status: string }): string {
  if (node.kind !== 'state') return renderTerminal(node, node.kind === 'start' ? Object.keys(path?.states ?? {}).length > 0 : finished);
  const status = outcome?.status ?? 'idle';
  const changed = other !== undefined && other.status !== status;
  const classes = ['g-node', `g-node--${status}`, node.compensation ? 'g-node--compensation' : '', changed ? 'g-node--changed' : ''].filter(Boolean).join(' ');
  const cx = node.x + node.width / 2;
  const subtitle = [node.type, node.compensation ? 'compensation' : '', outcome ? outcome.status : ''].filter(Boolean).join(' · ');
  const tooltip = [
    node.label,
    node.type,
    node.resource,
    outcome && `${outcome.status}, ${outcome.visits} visit(s), ${outcome.retries} retries`,
    other && `the other run: ${other.status === 'idle' ? 'not entered' : other.status}`,
  ]
    .filter(Boolean)
    .join('\n');
  const parts = [
    `<g class="${classes}" data-state="${escapeXml(node.id)}" data-status="${status}" data-compensation="${node.compensation}"${other ? ` data-other-status="${other.status}"` : ''}>`,
    `<title>${escapeXml(tooltip)}</title>`,
    `<rect x="${round(node.x)}" y="${round(node.y)}" width="${round(node.width)}" height="${round(node.height)}" rx="7"/>`,
    `<text x="${round(cx)}" y="${round(node.y + 19)}" text-anchor="middle">${escapeXml(node.label)}</text>`,
    `<text class="g-sub" x="${round(cx)}" y="${round(node.y + 34)}" text-anchor="middle">${escapeXml(subtitle)}</text>`,
  ];
  const badges = [changed ? '≠' : '', outcome && outcome.visits > 1 ? `×${outcome.visits}` : '', outcome && outcome.retries > 0 ? `↻${outcome.retries}` : ''].filter(Boolean);
  badges.forEach((badge, i) => {
    const bx = node.x + node.width - 14 - i * 30;
    parts.push(
      `<rect class="g-badge-bg" x="${round(bx - 12)}" y="${round(node.y - 8)}" width="26" height="15" rx="7"/>`,
      `<text class="g-badge" x="${round(bx + 1)}" y="${round(node.y + 3)}" text-anchor="middle">${escapeXml(badge)}</text>`,
    );
  });
  parts.push('</g>');
  return parts.join('');
}

function renderTerminal(node: LayoutNode, reached: boolean): string {
  const cx = node.x + node.width / 2;
  return [
    `<g class="g-terminal${reached ? ' g-terminal--reached' : ''}" data-terminal="${node.kind}">`,
    `<rect x="${round(node.x)}" y="${round(node.y)}" width="${round(node.width)}" height="${round(node.height)}" rx="${round(node.height / 2)}"/>`,
    `<text x="${round(cx)}" y="${round(node.y + node.height / 2 + 3.5)}" text-anchor="middle">${escapeXml(node.label)}</text>`,
    '</g>',
  ].join('');
}

/** Near the start of the edge, where the label still says which state it leaves. */
function labelPoint(edge: LayoutEdge): { x: number; y: number } | undefined {
  const [a, b] = edge.points;
  if (!a || !b) return undefined;
  // Routed edges: along their first leg; straight ones: halfway.
  const share = edge.points.length > 2 ? 0.6 : 0.5;
  return { x: a.x + (b.x - a.x) * share, y: a.y + (b.y - a.y) * share };
}

const round = (n: number) => Math.round(n * 10) / 10;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
