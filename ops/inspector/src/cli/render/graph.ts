import type { GraphLayout, LayoutNode } from '../../core/layout';
import type { PathTaken } from '../../core/path';
import { isTaken } from '../../core/svg';
import { entryStatus, type Style } from '../style';

/**
 * `graph` in a terminal: states in reading order (top to bottom, left to right, as the page lays
 * them out), each with its outcome and its transitions; the ones the execution took are marked.
 */
export function renderGraph(layout: GraphLayout, path: PathTaken | undefined, style: Style): string[] {
  const states = layout.nodes
    .filter((n) => n.kind === 'state')
    .sort((a, b) => a.y - b.y || a.x - b.x);
  const depthOf = (node: LayoutNode): number => {
    const parent = node.parent ? layout.nodes.find((n) => n.id === node.parent) : undefined;
    return parent ? depthOf(parent) + 1 : 0;
  };
  const lines: string[] = [];
  if (path) lines.push(style.dim('legend: ● visited  ○ not visited  ⇒ transition taken  → not taken  ↺ compensation'), '');
  for (const node of states) {
    const indent = '  '.repeat(depthOf(node));
    const outcome = path?.states[node.id];
    const marker = path ? (outcome ? '●' : style.dim('○')) : '•';
    const name = node.compensation ? style.yellow(`↺ ${node.label}`) : style.bold(node.label);
    const status = outcome ? `  ${entryStatus(style, outcome.status)}${outcome.visits > 1 ? style.dim(` ×${outcome.visits}`) : ''}` : '';
    lines.push(`${indent}${marker} ${outcome || !path ? name : style.dim(node.label)} ${style.dim(node.type)}${status}`);
    for (const edge of layout.edges.filter((e) => e.from === node.id)) {
      const taken = isTaken(edge, path);
      const target = edge.to === '__end__' ? 'End' : edge.to;
      const how = edge.kind === 'next' ? '' : ` (${edge.kind}${edge.label && edge.kind !== 'default' ? `: ${edge.label}` : ''})`;
      const text = `${indent}    ${taken ? '⇒' : '→'} ${target}${how}`;
      lines.push(taken ? style.bold(text) : style.dim(text));
    }
  }
  return lines;
}
