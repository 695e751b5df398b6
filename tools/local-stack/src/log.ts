/**
 * Console output of the stack: one line per component as it comes up, a ready banner, warnings
 * and errors. Component logs go to files under .local/logs (and here too with --verbose).
 */
const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
export const colors = { green: paint(32), yellow: paint(33), red: paint(31), dim: paint(2), bold: paint(1), cyan: paint(36) };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A component came up: its name, where, and how long it took. */
  ready(component: string, detail: string, startedAt: number): void;
  /** A component is starting (only printed when it is slow enough to matter). */
  step(component: string, detail: string): void;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const enabled = (wanted: LogLevel) => LEVELS[wanted] >= LEVELS[level];
  const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
  return {
    debug: (message) => enabled('debug') && write(colors.dim(`  · ${message}`)),
    info: (message) => enabled('info') && write(`  ${message}`),
    warn: (message) => enabled('warn') && write(colors.yellow(`  ! ${message}`)),
    error: (message) => enabled('error') && write(colors.red(`  ✗ ${message}`)),
    step: (component, detail) => enabled('info') && write(colors.dim(`  … ${component.padEnd(22)} ${detail}`)),
    ready: (component, detail, startedAt) =>
      enabled('info') && write(`  ${colors.green('✓')} ${component.padEnd(22)} ${detail} ${colors.dim(`(${seconds(startedAt)})`)}`),
  };
}

/** A logger that drops everything: for tests and library use. */
export const silentLogger: Logger = createLogger('error', () => undefined);
