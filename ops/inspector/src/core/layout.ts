import type { CompensationRule } from './compensation';
import type { Edge, EdgeKind, MachineGraph, StateNode } from './definition';

/**
 * A layered (top-down) layout of a state machine graph, small enough to own: ranks by longest
 * path from the start, order within a rank by discovery (the happy path first, so it stays a
 * straight column), x by the parents' centres, and edges that skip ranks routed around the nodes
 * in between. Parallel and Map states are boxes with their branches laid out inside.
 */
export interface Point {
  x: number;
  y: number;
}

export type NodeKind = 'state' | 'start' | 'end';

export interface LayoutNode {
  /** State name; `Start` and `End` terminals get reserved ids. */
  id: string;
  label: string;
  kind: NodeKind;
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  compensation: boolean;
  compound: boolean;
  resource?: string;
  /** The Parallel/Map state it is drawn inside. */
  parent?: string;
}

export interface LayoutEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
  points: Point[];
  /** Goes back up (a loop), drawn around the right side. */
  back: boolean;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

export const START_ID = '__start__';
export const END_ID = '__end__';

const NODE_HEIGHT = 44;
const MIN_NODE_WIDTH = 132;
// Approximate advance of the title (600 13px) and subtitle (10.5px) fonts in the SVG.
const TITLE_CHAR_WIDTH = 8.1;
const SUBTITLE_CHAR_WIDTH = 6.1;
/** The longest subtitle suffix a node can get: ` · compensation · succeeded`. */
const SUBTITLE_SUFFIX = 28;
const TERMINAL_SIZE = 28;
const GAP_X = 36;
const GAP_Y = 46;
const BOX_PADDING = 18;
const BOX_HEADER = 30;
const LANE_GAP = 14;
/** Width a skipping edge reserves in each row it crosses, and its gap to neighbours. */
const VIRTUAL_WIDTH = 10;
const VIRTUAL_GAP = 14;
const MARGIN = 20;

interface Local {
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

export function layoutGraph(graph: MachineGraph, isCompensation: CompensationRule = () => false): GraphLayout {
  const withTerminals: MachineGraph = {
    startAt: START_ID,
    states: [
      { name: START_ID, type: 'Start', end: false, children: [] },
      ...graph.states,
      { name: END_ID, type: 'End', end: false, children: [] },
    ],
    edges: [
      { from: START_ID, to: graph.startAt, kind: 'next' },
      ...graph.edges,
      ...graph.states.filter((s) => s.end).map((s): Edge => ({ from: s.name, to: END_ID, kind: 'next' })),
    ],
  };
  const local = layoutMachine(withTerminals, isCompensation);
  const moved = translate(local, MARGIN, MARGIN);
  return { width: local.width + 2 * MARGIN, height: local.height + 2 * MARGIN, nodes: moved.nodes, edges: moved.edges };
}

function layoutMachine(machine: MachineGraph, isCompensation: CompensationRule, parent?: string): Local {
  const sized = new Map(machine.states.map((state) => [state.name, sizeNode(state, isCompensation)]));
  const edges = machine.edges.filter((e) => sized.has(e.from) && sized.has(e.to));
  const { order, back } = discover(machine, edges);
  const rank = rankNodes(order, edges, back);
  const chains = addVirtualNodes(edges, back, rank);
  const virtualIds = [...chains.values()].flat();
  const width = (id: string) => sized.get(id)?.width ?? VIRTUAL_WIDTH;
  const heightOf = (id: string) => sized.get(id)?.height ?? 0;
  // Virtual nodes go after real ones: on a tie, a real state keeps the better place.
  const ranks = groupByRank([...order, ...virtualIds], rank);

  // Vertical placement: each rank as tall as its tallest node.
  const rankY: number[] = [];
  const rowHeight: number[] = [];
  let y = 0;
  for (const names of ranks) {
    rankY.push(y);
    rowHeight.push(Math.max(...names.map(heightOf)));
    y += rowHeight.at(-1)! + GAP_Y;
  }
  const height = Math.max(0, y - GAP_Y);

  // Horizontal placement, rank by rank: under the mean centre of the predecessors, never overlapping.
  const predecessors = new Map<string, string[]>();
  for (const edge of edges) {
    if (back.has(edge)) continue;
    const path = [edge.from, ...(chains.get(edge) ?? []), edge.to];
    for (let i = 1; i < path.length; i += 1) predecessors.set(path[i]!, [...(predecessors.get(path[i]!) ?? []), path[i - 1]!]);
  }
  const centre = new Map<string, number>();
  for (const names of ranks) {
    const desired = new Map(
      names.map((name) => {
        const preds = (predecessors.get(name) ?? []).filter((p) => centre.has(p)).map((p) => centre.get(p)!);
        return [name, preds.length > 0 ? preds.reduce((a, b) => a + b, 0) / preds.length : 0];
      }),
    );
    // Stable sort: equal wishes keep discovery order, so the happy path stays leftmost.
    names.sort((a, b) => desired.get(a)! - desired.get(b)!);
    let right = Number.NEGATIVE_INFINITY;
    let previousVirtual = false;
    for (const name of names) {
      const isVirtual = !sized.has(name);
      const gap = isVirtual || previousVirtual ? VIRTUAL_GAP : GAP_X;
      const left = Math.max(desired.get(name)! - width(name) / 2, right + gap);
      centre.set(name, left + width(name) / 2);
      right = left + width(name);
      previousVirtual = isVirtual;
    }
  }
  const minLeft = Math.min(...[...centre].map(([id, c]) => c - width(id) / 2));
  for (const [id, c] of centre) centre.set(id, c - minLeft);

  const nodes: LayoutNode[] = [];
  const inner: Local[] = [];
  for (const name of order) {
    const node = sized.get(name)!;
    const r = rank.get(name)!;
    node.x = centre.get(name)! - node.width / 2;
    node.y = rankY[r]! + (rowHeight[r]! - node.height) / 2;
    if (parent) node.parent = parent;
    nodes.push(node);
    const children = childLayouts.get(node);
    if (children) inner.push(...placeChildren(node, children));
  }
  const right = Math.max(...nodes.map((n) => n.x + n.width), ...virtualIds.map((v) => centre.get(v)!));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // A virtual node is crossed straight down through its rank's row.
  const through = (id: string): Point[] => {
    const r = rank.get(id)!;
    return [
      { x: centre.get(id)!, y: rankY[r]! },
      { x: centre.get(id)!, y: rankY[r]! + rowHeight[r]! },
    ];
  };
  let loops = 0;
  const routed = edges.map((edge) => {
    const lane = back.has(edge) ? right + LANE_GAP * ++loops : undefined;
    return routeEdge(edge, lane, byId, (chains.get(edge) ?? []).flatMap(through));
  });
  const laneRight = Math.max(right, ...routed.flatMap((e) => e.points.map((p) => p.x + LANE_GAP)));
  return {
    width: laneRight,
    height,
    nodes: [...nodes, ...inner.flatMap((l) => l.nodes)],
    edges: [...routed, ...inner.flatMap((l) => l.edges)],
  };
}

/**
 * Forward edges that skip ranks get one virtual node per rank they cross (the classic layered
 * layout trick): the virtual nodes take part in the placement, so the edge is routed through a
 * free slot of every row instead of through the states in it.
 */
function addVirtualNodes(edges: Edge[], back: Set<Edge>, rank: Map<string, number>): Map<Edge, string[]> {
  const chains = new Map<Edge, string[]>();
  edges.forEach((edge, index) => {
    if (back.has(edge)) return;
    const from = rank.get(edge.from)!;
    const to = rank.get(edge.to)!;
    if (to - from < 2) return;
    const ids: string[] = [];
    for (let r = from + 1; r < to; r += 1) {
      const id = `\u0000${index}:${r}`;
      rank.set(id, r);
      ids.push(id);
    }
    chains.set(edge, ids);
  });
  return chains;
}

// Children of compound states are laid out while sizing, then moved into their box.
const childLayouts = new WeakMap<LayoutNode, Local[]>();

function sizeNode(state: StateNode, isCompensation: CompensationRule): LayoutNode {
  const terminal = state.type === 'Start' || state.type === 'End';
  const node: LayoutNode = {
    id: state.name,
    label: terminal ? state.type : state.name,
    kind: state.type === 'Start' ? 'start' : state.type === 'End' ? 'end' : 'state',
    type: state.type,
    x: 0,
    y: 0,
    width: terminal ? TERMINAL_SIZE * 2.2 : nodeWidth(state),
    height: terminal ? TERMINAL_SIZE : NODE_HEIGHT,
    compensation: !terminal && isCompensation(state.name),
    compound: state.children.length > 0,
  };
  if (state.resource) node.resource = state.resource;
  if (state.children.length > 0) {
    const children = state.children.map((child) => layoutMachine(child, isCompensation, state.name));
    childLayouts.set(node, children);
    const innerWidth = children.reduce((sum, c) => sum + c.width, 0) + GAP_X * (children.length - 1);
    node.width = Math.max(node.width, innerWidth + 2 * BOX_PADDING);
    node.height = BOX_HEADER + Math.max(...children.map((c) => c.height)) + BOX_PADDING;
  }
  return node;
}

function nodeWidth(state: StateNode): number {
  const title = state.name.length * TITLE_CHAR_WIDTH;
  const subtitle = (state.type.length + SUBTITLE_SUFFIX) * SUBTITLE_CHAR_WIDTH;
  return Math.max(MIN_NODE_WIDTH, Math.ceil(Math.max(title, subtitle)) + 24);
}

function placeChildren(box: LayoutNode, children: Local[]): Local[] {
  const innerWidth = children.reduce((sum, c) => sum + c.width, 0) + GAP_X * (children.length - 1);
  let x = box.x + (box.width - innerWidth) / 2;
  return children.map((child) => {
    const moved = translate(child, x, box.y + BOX_HEADER);
    x += child.width + GAP_X;
    return moved;
  });
}

function translate(local: Local, dx: number, dy: number): Local {
  return {
    ...local,
    nodes: local.nodes.map((n) => ({ ...n, x: n.x + dx, y: n.y + dy })),
    edges: local.edges.map((e) => ({ ...e, points: e.points.map((p) => ({ x: p.x + dx, y: p.y + dy })) })),
  };
}

/** Depth-first from the start, `Next` before `Catch`: gives the node order and the edges that close loops. */
function discover(machine: MachineGraph, edges: Edge[]): { order: string[]; back: Set<Edge> } {
  const order: string[] = [];
  const back = new Set<Edge>();
  const state = new Map<string, 'open' | 'done'>();
  const priority: Record<EdgeKind, number> = { next: 0, choice: 1, default: 2, catch: 3 };
  const outgoing = (name: string) =>
    edges.filter((e) => e.from === name).sort((a, b) => priority[a.kind] - priority[b.kind]);
  const visit = (name: string) => {
    state.set(name, 'open');
    order.push(name);
    for (const edge of outgoing(name)) {
      const seen = state.get(edge.to);
      if (seen === 'open') back.add(edge);
      else if (!seen) visit(edge.to);
    }
    state.set(name, 'done');
  };
  const names = machine.states.map((s) => s.name);
  if (names.includes(machine.startAt)) visit(machine.startAt);
  // Unreachable states still belong on the drawing; the End terminal goes last.
  for (const name of names) if (!state.has(name) && name !== END_ID) visit(name);
  if (names.includes(END_ID) && !state.has(END_ID)) visit(END_ID);
  return { order, back };
}

/** Longest path from the sources over forward edges, so every forward edge points down. */
function rankNodes(order: string[], edges: Edge[], back: Set<Edge>): Map<string, number> {
  const rank = new Map(order.map((n) => [n, 0]));
  const forward = edges.filter((e) => !back.has(e));
  const indegree = new Map(order.map((n) => [n, 0]));
  for (const e of forward) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const queue = order.filter((n) => indegree.get(n) === 0);
  while (queue.length > 0) {
    const name = queue.shift()!;
    for (const e of forward.filter((f) => f.from === name)) {
      rank.set(e.to, Math.max(rank.get(e.to) ?? 0, (rank.get(name) ?? 0) + 1));
      indegree.set(e.to, (indegree.get(e.to) ?? 0) - 1);
      if (indegree.get(e.to) === 0) queue.push(e.to);
    }
  }
  // The End terminal sits alone on the last rank.
  if (rank.has(END_ID)) rank.set(END_ID, Math.max(...[...rank].filter(([n]) => n !== END_ID).map(([, r]) => r)) + 1);
  return rank;
}

function groupByRank(order: string[], rank: Map<string, number>): string[][] {
  const ranks: string[][] = [];
  for (const name of order) (ranks[rank.get(name)!] ??= []).push(name);
  return ranks.map((names) => names ?? []);
}

/** `lane`: for a loop, the x of the vertical lane it climbs back along. */
function routeEdge(edge: Edge, lane: number | undefined, byId: Map<string, LayoutNode>, via: Point[]): LayoutEdge {
  const from = byId.get(edge.from)!;
  const to = byId.get(edge.to)!;
  const base = { from: edge.from, to: edge.to, kind: edge.kind, ...(edge.label !== undefined && { label: edge.label }) };
  if (lane !== undefined) {
    // A loop: out of the right side, up along a lane right of everything, into the target's right side.
    const start = { x: from.x + from.width, y: from.y + from.height / 2 };
    const end = { x: to.x + to.width, y: to.y + to.height / 2 };
    return { ...base, back: true, points: [start, { x: lane, y: start.y }, { x: lane, y: end.y }, end] };
  }
  const start = { x: from.x + from.width / 2, y: from.y + from.height };
  const end = { x: to.x + to.width / 2, y: to.y };
  return { ...base, back: false, points: [start, ...via, end] };
}
