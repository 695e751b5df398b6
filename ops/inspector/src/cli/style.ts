import { styleText } from 'node:util';
import type { EntryStatus } from '../core/timeline';

/**
 * Colour for people, plain text for pipes: on only for a TTY, off with NO_COLOR or --no-color,
 * forced with FORCE_COLOR. The decision is made once, so every renderer stays a pure function of
 * a Style.
 */
export interface Style {
  enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
}

type Env = Record<string, string | undefined>;

export function colourEnabled(stream: { isTTY?: boolean }, env: Env, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

type Format = Parameters<typeof styleText>[0];

export function createStyle(enabled: boolean): Style {
  // The decision is ours (see colourEnabled); styleText must not second-guess it per stream.
  const paint = (format: Format) => (text: string) => (enabled ? styleText(format, text, { validateStream: false }) : text);
  return {
    enabled,
    bold: paint('bold'),
    dim: paint('dim'),
    green: paint('green'),
    red: paint('red'),
    yellow: paint('yellow'),
    blue: paint('blue'),
    magenta: paint('magenta'),
    cyan: paint('cyan'),
  };
}

const EXECUTION_COLOURS: Record<string, keyof Style> = {
  SUCCEEDED: 'green',
  FAILED: 'red',
  TIMED_OUT: 'red',
  ABORTED: 'magenta',
  RUNNING: 'blue',
  PENDING_REDRIVE: 'cyan',
};

const EXECUTION_ICONS: Record<string, string> = {
  SUCCEEDED: '✓',
  FAILED: '✗',
  TIMED_OUT: '⏱',
  ABORTED: '■',
  RUNNING: '▶',
  PENDING_REDRIVE: '↻',
};

export function executionStatus(style: Style, status: string): string {
  const colour = EXECUTION_COLOURS[status] ?? 'dim';
  return (style[colour] as (t: string) => string)(`${EXECUTION_ICONS[status] ?? '?'} ${status}`);
}

const ENTRY_LOOK: Record<EntryStatus, [keyof Style, string]> = {
  succeeded: ['green', '✓'],
  caught: ['yellow', '⚠'],
  failed: ['red', '✗'],
  running: ['blue', '▶'],
  aborted: ['magenta', '■'],
  timedOut: ['red', '⏱'],
};

export function entryStatus(style: Style, status: EntryStatus): string {
  const [colour, icon] = ENTRY_LOOK[status];
  return (style[colour] as (t: string) => string)(`${icon} ${status}`);
}
