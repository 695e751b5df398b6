import type { MachineGraph } from './definition';
import type { PathTaken } from './path';
import { isTaken } from './svg';

/** Graphviz DOT of the state machine with the path taken, for `graph --dot | dot -Tpng`. */
const FILL: Record<string, string> = {
  succeeded: '#e8f5e9',
  failed: '#ffebee',
  caught: '#fff3e0',
  running: '#e3f2fd',
  aborted: '#efebe9',
  timedOut: '#efebe9',
};

const escape = (text: string) => text.replace(/["\\]/gu, '\\$&');
const quote = (text: string) => `"${escape(text)}"`;
/** A two-line label: DOT's `\n` must not be escaped like the names around it. */
const lines = (...parts: string[]) => `"${parts.map(escape).join('\\n')}"`;

export function toDot(graph: MachineGraph, path?: PathTaken, isCompensation: (name: string) => boolean = () => false): string {
  const out = ['digraph saga {', '  rankdir=TB;', '  node [shape=box, style="rounded,filled", fillcolor="#fafafa", fontname="Helvetica"];'];
  const emit = (machine: MachineGraph, indent: string) => {
    for (const state of machine.states) {
      const outcome = path?.states[state.name];
      const styles = ['rounded', 'filled', ...(isCompensation(state.name) ? ['dashed'] : [])];
      const label = outcome ? lines(state.name, `${state.type} · ${outcome.status}`) : lines(state.name, state.type);
      const attrs = [`label=${label}`, `style=${quote(styles.join(','))}`, `fillcolor=${quote(FILL[outcome?.status ?? ''] ?? '#fafafa')}`];
      if (state.children.length > 0) {
        out.push(`${indent}subgraph ${quote(`cluster_${state.name}`)} {`, `${indent}  label=${quote(`${state.name} (${state.type})`)};`);
        state.children.forEach((child) => emit(child, `${indent}  `));
        out.push(`${indent}}`);
      }
      out.push(`${indent}${quote(state.name)} [${attrs.join(', ')}];`);
    }
    for (const edge of machine.edges) {
      const taken = isTaken(edge, path);
      const attrs = [
        ...(edge.label && edge.kind !== 'next' ? [`label=${quote(edge.label)}`] : []),
        ...(edge.kind === 'catch' ? ['style=dashed'] : []),
        ...(taken ? ['penwidth=2.5', 'color="#37474f"'] : ['color="#b0b7c3"']),
      ];
      out.push(`${indent}${quote(edge.from)} -> ${quote(edge.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
    }
  };
  emit(graph, '  ');
  out.push('}');
  return out.join('\n');
}
