import { compileJsonata, isObject, templateOf, VARIABLE_PATH } from './query';

/**
 * DescribeStateMachine's `variableReferences`: for each state that reads workflow variables, the
 * names it reads (sorted), from JSONPath `$name` paths, intrinsic function arguments and JSONata
 * expressions. States that read none are left out, and so is the field when no state reads any.
 */
type Json = Record<string, unknown>;

const NESTED = new Set(['Branches', 'ItemProcessor', 'Iterator']);

export function variableReferences(definition: Json): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  const visit = (machine: Json) => {
    const states = isObject(machine['States']) ? machine['States'] : {};
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state)) continue;
      const names = new Set<string>();
      collect(state, '', names);
      if (names.size > 0) out[name] = [...names].sort();
      for (const [key, value] of Object.entries(state)) {
        if (!NESTED.has(key)) continue;
        for (const child of Array.isArray(value) ? value : [value]) if (isObject(child)) visit(child);
      }
    }
  };
  visit(definition);
  return Object.keys(out).length > 0 ? out : undefined;
}

function collect(value: unknown, key: string, names: Set<string>): void {
  if (typeof value === 'string') {
    const expression = templateOf(value);
    if (expression !== undefined) jsonataVariables(expression, names);
    else if (key.endsWith('.$') || key.endsWith('Path') || key === 'Variable') pathVariables(value, names);
    return;
  }
  if (Array.isArray(value)) value.forEach((item) => collect(item, key, names));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) if (!NESTED.has(k)) collect(v, k, names);
  }
}

/** `$name...` paths, also as intrinsic function arguments (`States.Format('{}', $name)`). */
function pathVariables(text: string, names: Set<string>): void {
  const whole = VARIABLE_PATH.exec(text);
  if (whole?.[1]) {
    names.add(whole[1]);
    return;
  }
  if (text.startsWith('$')) return;
  const withoutStrings = text.replace(/'(?:\\.|[^'\\])*'/gu, "''");
  for (const match of withoutStrings.matchAll(/(?:^|[\s,(])\$([A-Za-z_]\w*)/gu)) if (match[1]) names.add(match[1]);
}

interface Node {
  type?: string;
  value?: unknown;
  procedure?: Node;
  [key: string]: unknown;
}

/** Free variables of a JSONata expression: not `$states`, not functions called, not names bound in it with `:=`. */
function jsonataVariables(expression: string, names: Set<string>): void {
  let ast: Node;
  try {
    ast = compileJsonata(expression).ast() as Node;
  } catch {
    return;
  }
  const bound = new Set<string>();
  const used = new Set<string>();
  const walk = (node: unknown, isProcedure = false): void => {
    if (Array.isArray(node)) {
      node.forEach((child) => walk(child));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as Node;
    if (n.type === 'bind' && isObject(n['lhs']) && typeof (n['lhs'] as Node).value === 'string') bound.add(String((n['lhs'] as Node).value));
    if (n.type === 'lambda' && Array.isArray(n['arguments'])) for (const arg of n['arguments'] as Node[]) bound.add(String(arg.value));
    if (n.type === 'variable' && typeof n.value === 'string' && n.value !== '' && !isProcedure) used.add(n.value);
    for (const [key, child] of Object.entries(n)) {
      if (key === 'procedure') walk(child, true);
      else if (typeof child === 'object') walk(child);
    }
  };
  walk(ast);
  for (const name of used) if (name !== 'states' && !bound.has(name)) names.add(name);
}
