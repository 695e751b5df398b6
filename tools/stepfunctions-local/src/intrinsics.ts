import { createHash, randomUUID } from 'node:crypto';

/**
 * Intrinsic functions (`States.Format('{} items', $.count)`) for the interpreter's JSONPath
 * states, whose arguments may name workflow variables; the engine has its own for the
 * definitions it runs. A malformed call or a wrong argument fails the state with
 * States.IntrinsicFailure, as on AWS.
 */

export class IntrinsicFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'States.IntrinsicFailure';
  }
}

type Resolve = (path: string) => unknown;

type Token = { kind: 'string' | 'number' | 'path' | 'name' | 'punct' | 'literal'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/u.test(c)) {
      i += 1;
    } else if (c === "'") {
      let value = '';
      i += 1;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        value += text[i];
        i += 1;
      }
      if (text[i] !== "'") throw new IntrinsicFailure(`Unterminated string in '${text}'`);
      i += 1;
      tokens.push({ kind: 'string', value });
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', value: c });
      i += 1;
    } else if (c === '$') {
      // A path runs to the next top-level comma or closing parenthesis (brackets may hold either).
      let depth = 0;
      let value = '';
      while (i < text.length) {
        const d = text[i] ?? '';
        if (depth === 0 && (d === ',' || d === ')')) break;
        if (d === '[' || d === '(') depth += 1;
        if (d === ']' || d === ')') depth -= 1;
        value += d;
        i += 1;
      }
      tokens.push({ kind: 'path', value: value.trim() });
    } else if (/[-\d]/u.test(c)) {
      const match = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/u.exec(text.slice(i));
      if (!match) throw new IntrinsicFailure(`Unexpected '${c}' in '${text}'`);
      tokens.push({ kind: 'number', value: match[0] });
      i += match[0].length;
    } else {
      const match = /^[A-Za-z][\w.]*/u.exec(text.slice(i));
      if (!match) throw new IntrinsicFailure(`Unexpected '${c}' in '${text}'`);
      const word = match[0];
      tokens.push({ kind: ['true', 'false', 'null'].includes(word) ? 'literal' : 'name', value: word });
      i += word.length;
    }
  }
  return tokens;
}

/** Evaluates one intrinsic function call; `resolve` reads `$`, `$$` and `$variable` paths. */
export function evaluateIntrinsic(text: string, resolve: Resolve): unknown {
  const tokens = tokenize(text);
  let at = 0;
  const expect = (value: string) => {
    const token = tokens[at];
    if (token?.kind !== 'punct' || token.value !== value) throw new IntrinsicFailure(`Expected '${value}' in '${text}'`);
    at += 1;
  };
  const argument = (): unknown => {
    const token = tokens[at];
    if (!token) throw new IntrinsicFailure(`Missing argument in '${text}'`);
    at += 1;
    switch (token.kind) {
      case 'string':
        return token.value;
      case 'number':
        return Number(token.value);
      case 'literal':
        return JSON.parse(token.value) as unknown;
      case 'path':
        return resolve(token.value);
      case 'name': {
        expect('(');
        const args: unknown[] = [];
        if (tokens[at]?.value !== ')') {
          args.push(argument());
          while (tokens[at]?.value === ',') {
            at += 1;
            args.push(argument());
          }
        }
        expect(')');
        return call(token.value, args);
      }
      default:
        throw new IntrinsicFailure(`Unexpected '${token.value}' in '${text}'`);
    }
  };
  const value = argument();
  if (at !== tokens.length) throw new IntrinsicFailure(`Unexpected text after the call in '${text}'`);
  return value;
}

const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function need(ok: boolean, name: string, what: string): void {
  if (!ok) throw new IntrinsicFailure(`${name}: ${what}`);
}

function call(name: string, args: unknown[]): unknown {
  const [a, b, c] = args;
  switch (name) {
    case 'States.Format': {
      need(typeof a === 'string', name, 'the first argument must be a string');
      const values = args.slice(1);
      const parts = String(a).split('{}');
      need(parts.length - 1 === values.length, name, 'the number of arguments does not match the number of {}');
      return parts.reduce((out, part, i) => out + part + (i < values.length ? (typeof values[i] === 'string' ? values[i] : JSON.stringify(values[i])) : ''), '');
    }
    case 'States.StringToJson':
      need(typeof a === 'string', name, 'the argument must be a string');
      return JSON.parse(String(a)) as unknown;
    case 'States.JsonToString':
      return JSON.stringify(a);
    case 'States.Array':
      return args;
    case 'States.ArrayPartition': {
      need(isArray(a) && isInteger(b) && b > 0, name, 'expects an array and a positive chunk size');
      const out: unknown[][] = [];
      for (let i = 0; i < (a as unknown[]).length; i += b as number) out.push((a as unknown[]).slice(i, i + (b as number)));
      return out;
    }
    case 'States.ArrayContains':
      need(isArray(a), name, 'the first argument must be an array');
      return (a as unknown[]).some((item) => JSON.stringify(item) === JSON.stringify(b));
    case 'States.ArrayRange': {
      need(isInteger(a) && isInteger(b) && isInteger(c) && c !== 0, name, 'expects integer start, end and a non-zero step');
      const out: number[] = [];
      for (let n = a as number; (c as number) > 0 ? n <= (b as number) : n >= (b as number); n += c as number) out.push(n);
      need(out.length <= 1000, name, 'the range may hold at most 1000 items');
      return out;
    }
    case 'States.ArrayGetItem':
      need(isArray(a) && isInteger(b) && b >= 0 && b < (a as unknown[]).length, name, 'index out of bounds');
      return (a as unknown[])[b as number];
    case 'States.ArrayLength':
      need(isArray(a), name, 'the argument must be an array');
      return (a as unknown[]).length;
    case 'States.ArrayUnique': {
      need(isArray(a), name, 'the argument must be an array');
      const seen = new Set<string>();
      return (a as unknown[]).filter((item) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    case 'States.Base64Encode':
      need(typeof a === 'string', name, 'the argument must be a string');
      return Buffer.from(String(a), 'utf8').toString('base64');
    case 'States.Base64Decode':
      need(typeof a === 'string', name, 'the argument must be a string');
      return Buffer.from(String(a), 'base64').toString('utf8');
    case 'States.Hash': {
      const algorithm = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' }[String(b)];
      need(algorithm !== undefined, name, `unsupported algorithm '${String(b)}'`);
      return createHash(algorithm ?? '').update(typeof a === 'string' ? a : JSON.stringify(a)).digest('hex');
    }
    case 'States.JsonMerge':
      need(typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && c === false, name, 'expects two objects and false (deep merge is not supported by AWS)');
      return { ...(a as object), ...(b as object) };
    case 'States.MathRandom': {
      need(isInteger(a) && isInteger(b), name, 'expects integer start and end');
      return Math.floor(Math.random() * ((b as number) - (a as number))) + (a as number);
    }
    case 'States.MathAdd':
      // AWS adds integers: a fraction is dropped (4.3 counts as 4 in its recorded histories).
      need(typeof a === 'number' && typeof b === 'number', name, 'expects two numbers');
      return Math.trunc(a as number) + Math.trunc(b as number);
    case 'States.StringSplit':
      need(typeof a === 'string' && typeof b === 'string', name, 'expects two strings');
      return String(a)
        .split(new RegExp(`[${String(b).replace(/[\]\\^-]/gu, '\\$&')}]`, 'u'))
        .filter((part) => part !== '');
    case 'States.UUID':
      return randomUUID();
    default:
      throw new IntrinsicFailure(`Unknown intrinsic function '${name}'`);
  }
}
