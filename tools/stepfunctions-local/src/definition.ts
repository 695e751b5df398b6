import { createHash } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { ApiError, errors } from './errors';
import { VARIABLE_PATH } from './query';
import { variableReferences } from './references';
import { parseTaskResource, type TaskSpec } from './tasks';

export type StateType = 'Task' | 'Parallel' | 'Map' | 'Pass' | 'Wait' | 'Choice' | 'Succeed' | 'Fail';

/** A Parallel branch or a Map iterator that encloses a state. */
export interface Ancestor {
  name: string;
  kind: 'parallel' | 'map';
  branch: number;
}

export interface StateInfo {
  name: string;
  type: StateType;
  def: Record<string, unknown>;
  /** Enclosing compound states, outermost first; empty for top-level states. */
  ancestors: Ancestor[];
  /** Number of branches of a Parallel state. */
  branches: number;
}

/**
 * A definition analysed once and shared by every execution that uses it: the state index drives
 * history translation, the task specs drive Lambda routing, and engine instances are cached per
 * start state because building one is the expensive part.
 */
export interface CompiledDefinition {
  hash: string;
  text: string;
  startAt: string;
  states: Map<string, StateInfo>;
  tasks: Map<string, TaskSpec>;
  /**
   * True when the definition uses JSONata or variables: it then runs on this package's
   * interpreter (interpreter.ts), everything else on the aws-local-stepfunctions engine.
   */
  interpreted: boolean;
  /** The engine for this definition, optionally starting at another top-level state (redrive). */
  engine(startAt?: string): StateMachine;
  /** The parsed definition for the interpreter, optionally starting at another top-level state. */
  machine(startAt?: string): Json;
  /** DescribeStateMachine's variableReferences (undefined when no state reads a variable). */
  variableReferences: Record<string, string[]> | undefined;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const definitionHash = (text: string) => createHash('sha1').update(text).digest('hex');

// asl-validator costs ~250 ms per call, so a definition text is validated once per process.
const validated = new Set<string>();
const MAX_VALIDATED = 256;

/** Validates like CreateStateMachine does; throws InvalidDefinition with AWS-style reasons. */
export function validateDefinition(text: string): void {
  const hash = definitionHash(text);
  if (validated.has(hash)) return;
  const parsed = parseDefinition(text);
  rejectUnsupported(parsed);
  try {
    // The validator writes defaults into the object it checks, so it gets a private copy.
    new StateMachine(forValidator(parsed) as unknown as StateMachineDefinition, {
      validationOptions: { checkPaths: true, checkArn: true },
    });
  } catch (error) {
    const detail = (error as Error).message.replace(/^State machine definition is invalid, see error\(s\) below:\s*/u, '');
    throw errors.invalidDefinition(detail.replace(/\s*\n\s*/gu, '; ').trim());
  }
  if (validated.size >= MAX_VALIDATED) validated.clear();
  validated.add(hash);
}

/**
 * The copy asl-validator checks. Its schema is stricter than AWS in two places: an Assign's values
 * may be any JSON on AWS (the schema refuses null inside a list), and so may a JSONata `Output`
 * (the schema wants an object or a `{% %}` string). The copy keeps each Assign's names and the kind
 * of each value (a string may be a path or JSONata and stays as it is) with lists and objects
 * emptied, and turns any other `Output` value into an empty object.
 */
function forValidator(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(forValidator);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'Assign' && isObject(item)) {
      out[key] = Object.fromEntries(Object.entries(item).map(([name, v]) => [name, Array.isArray(v) ? [] : isObject(v) ? {} : v]));
    } else if (key === 'Output' && !isObject(item) && !(typeof item === 'string' && /^\{%[\s\S]*%\}$/u.test(item))) {
      out[key] = {};
    } else {
      out[key] = forValidator(item);
    }
  }
  return out;
}

export interface Diagnostic {
  severity: 'ERROR';
  code: string;
  message: string;
  location?: string;
}

/** ValidateStateMachineDefinition: the reasons CreateStateMachine would refuse the text, as diagnostics. */
export function definitionDiagnostics(text: string): Diagnostic[] {
  try {
    validateDefinition(text);
    return [];
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'InvalidDefinition') throw error;
    const reasons = error.message.replace(/^Invalid State Machine Definition: '/u, '').replace(/'$/u, '');
    return reasons.split('; ').map((reason) => {
      const [, code = 'SCHEMA_VALIDATION_FAILED', message = reason] = /^([A-Z_]+): ([\s\S]*)$/u.exec(reason) ?? [];
      const location = / at (\/\S*)$/u.exec(message)?.[1] ?? /^(\/\S*) is invalid/u.exec(message)?.[1];
      return { severity: 'ERROR' as const, code, message, ...(location && { location }) };
    });
  }
}

function parseDefinition(text: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw errors.invalidDefinition(`INVALID_JSON_DESCRIPTION: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw errors.invalidDefinition('INVALID_JSON_DESCRIPTION: the definition must be a JSON object');
  return parsed;
}

/**
 * Does the definition need the interpreter? JSONata anywhere, an Assign anywhere, or a JSONPath
 * that reads a variable (`$name`): the engine would silently ignore all three.
 */
export function usesInterpreter(def: Json): boolean {
  const walk = (value: unknown, key: string): boolean => {
    if (key === 'QueryLanguage' && value === 'JSONata') return true;
    if (key === 'Assign') return true;
    if (typeof value === 'string') return isPathField(key) && VARIABLE_PATH.test(value);
    if (Array.isArray(value)) return value.some((item) => walk(item, key));
    if (isObject(value)) return Object.entries(value).some(([k, v]) => walk(v, k));
    return false;
  };
  return walk(def, '');
}

const isPathField = (key: string) => key.endsWith('.$') || key.endsWith('Path') || key === 'Variable';

/** Fields the interpreter does not implement: refused at create/update, naming field and state, never ignored. */
const UNSUPPORTED_FIELDS: Record<string, string[]> = {
  Task: ['Credentials'],
  Map: ['ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailureCount', 'ToleratedFailureCountPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'],
};

/** Refuses what the interpreter would get wrong; definitions without JSONata or variables run on the engine as before. */
function rejectUnsupported(def: Json): void {
  if (!usesInterpreter(def)) return;
  const unsupported = (what: string, at: string) =>
    errors.invalidDefinition(`SCHEMA_VALIDATION_FAILED: ${what} not supported by stepfunctions-local in a state machine that uses JSONata or variables at ${at}`);
  const visit = (machine: Json, path: string) => {
    const states = isObject(machine['States']) ? machine['States'] : {};
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state)) continue;
      const at = `${path}/States/${name}`;
      for (const field of UNSUPPORTED_FIELDS[String(state['Type'])] ?? []) {
        if (field in state) throw unsupported(`The field '${field}' is`, `${at}/${field}`);
      }
      for (const child of childMachines(state)) visit(child, at);
    }
  };
  visit(def, '');
}


function childMachines(state: Json): Json[] {
  if (state['Type'] === 'Parallel' && Array.isArray(state['Branches'])) return state['Branches'].filter(isObject);
  if (state['Type'] === 'Map') {
    const processor = state['ItemProcessor'] ?? state['Iterator'];
    return isObject(processor) ? [processor] : [];
  }
  return [];
}

/** Compiles an already validated definition (no validator run: that is what makes restarts cheap). */
export function compileDefinition(text: string): CompiledDefinition {
  const parsed = parseDefinition(text);
  const states = new Map<string, StateInfo>();
  const tasks = new Map<string, TaskSpec>();
  indexStates(parsed, [], states, tasks);
  const engines = new Map<string, StateMachine>();
  const startAt = String(parsed['StartAt']);
  return {
    hash: definitionHash(text),
    text,
    startAt,
    states,
    tasks,
    interpreted: usesInterpreter(parsed),
    variableReferences: variableReferences(parsed),
    machine(from = startAt) {
      return from === startAt ? parsed : { ...parsed, StartAt: from };
    },
    engine(from = startAt) {
      let engine = engines.get(from);
      if (!engine) {
        const copy = JSON.parse(text) as Json;
        copy['StartAt'] = from;
        withoutDefaultTaskTimeout(copy);
        engine = new StateMachine(copy as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
        engines.set(from, engine);
      }
      return engine;
    },
  };
}

// The longest delay a Node timer takes (~24.8 days); beyond it setTimeout fires at once.
const NO_TIMEOUT_SECONDS = Math.floor(2 ** 31 / 1000) - 1;

/**
 * AWS sets no timeout on a Task without TimeoutSeconds (the Lambda's own timeout applies); the
 * engine would apply 60 s. Tasks without one get the longest timer Node allows instead.
 */
function withoutDefaultTaskTimeout(machine: Json): void {
  const states = isObject(machine['States']) ? Object.values(machine['States']) : [];
  for (const state of states) {
    if (!isObject(state)) continue;
    if (state['Type'] === 'Task' && state['TimeoutSeconds'] === undefined && state['TimeoutSecondsPath'] === undefined) {
      state['TimeoutSeconds'] = NO_TIMEOUT_SECONDS;
    }
    for (const child of childMachines(state)) withoutDefaultTaskTimeout(child);
  }
}

function indexStates(
  machine: Json,
  ancestors: Ancestor[],
  states: Map<string, StateInfo>,
  tasks: Map<string, TaskSpec>,
): void {
  const entries = isObject(machine['States']) ? Object.entries(machine['States']) : [];
  for (const [name, raw] of entries) {
    if (!isObject(raw)) continue;
    const type = raw['Type'] as StateType;
    const branches = type === 'Parallel' && Array.isArray(raw['Branches']) ? raw['Branches'] : [];
    states.set(name, { name, type, def: raw, ancestors, branches: branches.length });
    if (type === 'Task') tasks.set(name, parseTaskResource(name, raw));
    if (type === 'Parallel') {
      branches.forEach((branch, i) => {
        if (isObject(branch)) indexStates(branch, [...ancestors, { name, kind: 'parallel', branch: i }], states, tasks);
      });
    }
    if (type === 'Map') {
      const processor = raw['ItemProcessor'] ?? raw['Iterator'];
      if (isObject(processor)) indexStates(processor, [...ancestors, { name, kind: 'map', branch: 0 }], states, tasks);
    }
  }
}
