import { resolveConfig } from '../app/config';
import { SagaInspector } from '../app/inspector';
import { InspectorError } from '../errors';
import { InvalidTimeError } from '../core/time';
import { HistoryExportError } from '../core/history-export';
import { helpText, parseCommandLine, UsageError } from './args';
import { COMMAND_HANDLERS } from './commands';
import { colourEnabled, createStyle } from './style';

/**
 * The CLI as a function of its arguments and streams, so tests run it in-process exactly as
 * `npm run saga -- ...` does. Exit codes: 0 ok, 1 failure, 2 usage error.
 */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Resolves on Ctrl+C (for `web`). */
  untilInterrupted?: () => Promise<void>;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let wantsJson = argv.includes('--json');
  try {
    const line = parseCommandLine(argv);
    wantsJson = line.values['json'] === true;
    if (line.command === 'help' || line.values['help'] === true) {
      io.stdout.write(`${helpText(line.command === 'help' ? line.positionals[0] : line.command)}\n`);
      return 0;
    }
    const config = resolveConfig(
      {
        ...stringOption(line.values, 'endpoint'),
        ...stringOption(line.values, 'region'),
        ...stringOption(line.values, 'stage'),
        ...stringOption(line.values, 'compensation'),
        ...(typeof line.values['state-machine'] === 'string' && { stateMachine: line.values['state-machine'] }),
        ...(typeof line.values['order-api'] === 'string' && { orderApi: line.values['order-api'] }),
        ...(typeof line.values['endpoints-file'] === 'string' && { endpointsFile: line.values['endpoints-file'] }),
        ...(line.values['aws'] === true && { aws: true }),
      },
      io.env,
    );
    const style = createStyle(colourEnabled(io.stdout, io.env, line.values['no-color'] === true ? false : undefined));
    await COMMAND_HANDLERS[line.command]!({
      inspector: SagaInspector.fromConfig(config),
      config,
      positionals: line.positionals,
      values: line.values,
      style,
      width: io.stdout.columns ?? 120,
      print: (lines) => io.stdout.write(`${lines.join('\n')}\n`),
      printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
      untilInterrupted: io.untilInterrupted ?? (() => new Promise(() => {})),
    });
    return 0;
  } catch (error) {
    return reportError(error, io, wantsJson);
  }
}

function stringOption<K extends string>(values: Record<string, string | boolean | undefined>, key: K): Partial<Record<K, string>> {
  const value = values[key];
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

function reportError(error: unknown, io: CliIo, json: boolean): number {
  const usage = error instanceof UsageError || error instanceof InvalidTimeError || error instanceof HistoryExportError;
  const code = error instanceof InspectorError ? error.code : usage ? 'USAGE' : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  if (json) io.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
  else {
    const style = createStyle(colourEnabled(io.stderr, io.env));
    io.stderr.write(`${style.red('error')}: ${message}\n`);
    if (usage) io.stderr.write(`${style.dim('npm run saga -- help')}\n`);
    if (!(error instanceof InspectorError) && !usage && error instanceof Error && error.stack) io.stderr.write(`${style.dim(error.stack)}\n`);
  }
  return usage ? 2 : 1;
}
