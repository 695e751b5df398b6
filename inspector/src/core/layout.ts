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
const CHAR_WIDTH = 7.4;
const TERMINAL_SIZE = 28;
const GAP_X = 36;
const GAP_Y = 46;
const BOX_PADDING = 18;
const BOX_HEADER = 30;
const LANE_GAP = 14;
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
  const ranks = groupByRank(order, rank);

  // Vertical placement: each rank as tall as its tallest node.
  const rankY: number[] = [];
  let y = 0;
  for (const names of ranks) {
    rankY.push(y);
    y += Math.max(...names.map((n) => sized.get(n)!.height)) + GAP_Y;
  }
  const height = Math.max(0, y - GAP_Y);

  // Horizontal placement: under the mean centre of placed predecessors, never overlapping.
  const centre = new Map<string, number>();
  for (const names of ranks) {
    let right = Number.NEGATIVE_INFINITY;
    const desired = new Map(
      names.map((name) => {
        const preds = edges.filter((e) => e.to === name && !back.has(e) && centre.has(e.from)).map((e) => centre.get(e.from)!);
        return [name, preds.length > 0 ? preds.reduce((a, b) => a + b, 0) / preds.length : 0];
      }),
    );
    // Stable sort: equal wishes keep discovery order, so the happy path stays leftmost.
    names.sort((a, b) => desired.get(a)! - desired.get(b)!);
    for (const name of names) {
      const { width } = sized.get(name)!;
      const left = Math.max(desired.get(name)! - width / 2, right + GAP_X);
      centre.set(name, left + width / 2);
      right = left + width;
    }
  }
  const minLeft = Math.min(...order.map((n) => centre.get(n)! - sized.get(n)!.width / 2));
  const nodes: LayoutNode[] = [];
  const inner: Local[] = [];
  for (const name of order) {
    const node = sized.get(name)!;
    const r = rank.get(name)!;
    const rowHeight = Math.max(...ranks[r]!.map((n) => sized.get(n)!.height));
    node.x = centre.get(name)! - node.width / 2 - minLeft;
    node.y = rankY[r]! + (rowHeight - node.height) / 2;
    if (parent) node.parent = parent;
    nodes.push(node);
    const children = childLayouts.get(node);
    if (children) inner.push(...placeChildren(node, children));
  }
  const width = Math.max(...nodes.map((n) => n.x + n.width));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const routed = routeEdges(edges, back, byId, rank, nodes, width);
  const laneWidth = Math.max(width, ...routed.flatMap((e) => e.points.map((p) => p.x + LANE_GAP)));
  return {
    width: laneWidth,
    height,
    nodes: [...nodes, ...inner.flatMap((l) => l.nodes)],
    edges: [...routed, ...inner.flatMap((l) => l.edges)],
  };
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
    width: terminal ? TERMINAL_SIZE * 2.2 : Math.max(MIN_NODE_WIDTH, Math.ceil(state.name.length * CHAR_WIDTH) + 28),
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

function routeEdges(
  edges: Edge[],
  back: Set<Edge>,
  byId: Map<string, LayoutNode>,
  rank: Map<string, number>,
  nodes: LayoutNode[],
  width: number,
): LayoutEdge[] {
  let lanes = 0;
  return edges.map((edge) => {
    const from = byId.get(edge.from)!;
    const to = byId.get(edge.to)!;
    const base = { from: edge.from, to: edge.to, kind: edge.kind, ...(edge.label !== undefined && { label: edge.label }) };
    if (back.has(edge) || rank.get(edge.to)! <= rank.get(edge.from)!) {
      // A loop: out of the right side, up along a lane right of everything, into the target's right side.
      const lane = width + LANE_GAP * (++lanes);
      const start = { x: from.x + from.width, y: from.y + from.height / 2 };
      const end = { x: to.x + to.width, y: to.y + to.height / 2 };
      return { ...base, back: true, points: [start, { x: lane, y: start.y }, { x: lane, y: end.y }, end] };
    }
    const start = { x: from.x + from.width / 2, y: from.y + from.height };
    const end = { x: to.x + to.width / 2, y: to.y };
    const blockers = nodes.filter((n) => n !== from && n !== to && crosses(n, start, end));
    if (blockers.length === 0) return { ...base, back: false, points: [start, end] };
    // Skip over the nodes in between along a lane just right of them.
    const lane = Math.max(...blockers.map((n) => n.x + n.width)) + LANE_GAP * (1 + (lanes++ % 3));
    const turnDown = start.y + GAP_Y / 2;
    const turnUp = end.y - GAP_Y / 2;
    return {
      ...base,
      back: false,
      points: [start, { x: start.x, y: turnDown }, { x: lane, y: turnDown }, { x: lane, y: turnUp }, { x: end.x, y: turnUp }, end],
    };
  });
}

/** Does the segment a-b pass through the node's box (with a little air around it)? */
function crosses(node: LayoutNode, a: Point, b: Point): boolean {
  const top = node.y - 4;
  const bottom = node.y + node.height + 4;
  if (Math.max(a.y, b.y) < top || Math.min(a.y, b.y) > bottom) return false;
  const xAt = (y: number) => (b.y === a.y ? a.x : a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y));
  const xs = [xAt(Math.max(top, Math.min(a.y, b.y))), xAt(Math.min(bottom, Math.max(a.y, b.y)))];
  return Math.max(...xs) >= node.x - 4 && Math.min(...xs) <= node.x + node.width + 4;
}
