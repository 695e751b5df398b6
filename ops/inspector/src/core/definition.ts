import type { Json } from './events';

/**
 * An Amazon States Language definition as a graph: states are nodes, transitions are edges.
 * Parallel branches and Map item processors are nested graphs inside their state, because that is
 * how they run (and how the page draws them: as boxes).
 */
export type EdgeKind = 'next' | 'default' | 'choice' | 'catch';

export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Catch: the error names; Choice: a short form of the rule. */
  label?: string;
}

export interface StateNode {
  name: string;
  type: string;
  /** Task resource (function ARN or integration), for the tooltip and the text graph. */
  resource?: string;
  end: boolean;
  /** Parallel: one graph per branch; Map: the item processor; empty otherwise. */
  children: MachineGraph[];
}

export interface MachineGraph {
  startAt: string;
  states: StateNode[];
  edges: Edge[];
}

export class InvalidDefinitionError extends Error {
  override readonly name = 'InvalidDefinitionError';
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseDefinition(definition: string | Json): MachineGraph {
  let parsed: unknown = definition;
  if (typeof definition === 'string') {
    try {
      parsed = JSON.parse(definition);
    } catch (error) {
      throw new InvalidDefinitionError(`definition is not JSON: ${(error as Error).message}`);
    }
  }
  if (!isObject(parsed)) throw new InvalidDefinitionError('definition is not a JSON object');
  return machineOf(parsed);
}

function machineOf(machine: Json): MachineGraph {
  const states = isObject(machine['States']) ? machine['States'] : {};
  const startAt = typeof machine['StartAt'] === 'string' ? machine['StartAt'] : (Object.keys(states)[0] ?? '');
  const nodes: StateNode[] = [];
  const edges: Edge[] = [];
  for (const [name, raw] of Object.entries(states)) {
    if (!isObject(raw)) continue;
    nodes.push(nodeOf(name, raw));
    edges.push(...edgesOf(name, raw));
  }
  return { startAt, states: nodes, edges };
}

function nodeOf(name: string, state: Json): StateNode {
  const type = String(state['Type'] ?? 'Unknown');
  const node: StateNode = {
    name,
    type,
    end: state['End'] === true || type === 'Succeed' || type === 'Fail',
    children: childrenOf(state),
  };
  if (typeof state['Resource'] === 'string') node.resource = state['Resource'];
  return node;
}

function childrenOf(state: Json): MachineGraph[] {
  if (state['Type'] === 'Parallel' && Array.isArray(state['Branches'])) {
    return state['Branches'].filter(isObject).map(machineOf);
  }
  if (state['Type'] === 'Map') {
    const processor = state['ItemProcessor'] ?? state['Iterator'];
    return isObject(processor) ? [machineOf(processor)] : [];
  }
  return [];
}

function edgesOf(from: string, state: Json): Edge[] {
  const edges: Edge[] = [];
  if (typeof state['Next'] === 'string') edges.push({ from, to: state['Next'], kind: 'next' });
  if (Array.isArray(state['Choices'])) {
    for (const choice of state['Choices'].filter(isObject)) {
      if (typeof choice['Next'] === 'string') edges.push({ from, to: choice['Next'], kind: 'choice', label: choiceLabel(choice) });
    }
  }
  if (typeof state['Default'] === 'string') edges.push({ from, to: state['Default'], kind: 'default', label: 'default' });
  if (Array.isArray(state['Catch'])) {
    for (const catcher of state['Catch'].filter(isObject)) {
      if (typeof catcher['Next'] !== 'string') continue;
      const errors = Array.isArray(catcher['ErrorEquals']) ? catcher['ErrorEquals'].join(', ') : '';
      edges.push({ from, to: catcher['Next'], kind: 'catch', label: errors });
    }
  }
  return edges;
}

const COMPARATORS = /^(Not|And|Or|String|Numeric|Boolean|Timestamp|Is)/u;

/** `$.status StringEquals "DECLINED"`: enough to tell choices apart in a label. */
function choiceLabel(choice: Json): string {
  if (typeof choice['Condition'] === 'string') return choice['Condition'];
  const variable = typeof choice['Variable'] === 'string' ? choice['Variable'] : '';
  const operator = Object.keys(choice).find((key) => COMPARATORS.test(key));
  if (!operator) return variable || 'rule';
  if (['Not', 'And', 'Or'].includes(operator)) return operator.toLowerCase();
  return `${variable} ${operator} ${JSON.stringify(choice[operator])}`.trim();
}

/** Every state of the definition, nested ones included, in definition order. */
export function allStates(graph: MachineGraph): StateNode[] {
  return graph.states.flatMap((state) => [state, ...state.children.flatMap(allStates)]);
}

/** Where a nested state sits: its enclosing Parallel/Map state and, in a Parallel, the branch index. */
export interface Placement {
  parent: string;
  branch: number;
}

/** Placement of every nested state, keyed by state name (names are unique within a definition). */
export function placementsOf(graph: MachineGraph): Map<string, Placement> {
  const placements = new Map<string, Placement>();
  const walk = (machine: MachineGraph, placement?: Placement) => {
    for (const state of machine.states) {
      if (placement) placements.set(state.name, placement);
      state.children.forEach((child, branch) => walk(child, { parent: state.name, branch }));
    }
  };
  walk(graph);
  return placements;
}
