import { randomBytes } from 'node:crypto';
import type { HistoryEvent, Json } from './events';
import type { ExecutionRecord } from './execution';
import { HistoryExportError, readHistoryExport, recordFromHistory } from './history-export';

/**
 * The execution export (`history --json`, the page's "Export history"): everything needed to
 * look at an execution offline and to replay it on another stack. Format documented in
 * ops/inspector/README.md ("The export format"). Its `events` are GetExecutionHistory's, so the
 * file is also what `aws stepfunctions get-execution-history` prints, plus fields.
 */
export const EXPORT_FORMAT = 'order-saga-execution';
export const EXPORT_VERSION = 1;

/** The saga input fields that are secrets or personal data, masked unless asked otherwise. */
export const MASKED_FIELDS = ['email', 'paymentToken'] as const;
/** What a masked payment token reads as; the replay substitutes a test token (see replayInput). */
export const MASKED_TOKEN = 'tok_masked';

export interface ExecutionExport {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  /** The fields masked in this file (empty: nothing masked). */
  masked: string[];
  execution: ExecutionRecord;
  /** The definition the execution ran with (DescribeStateMachineForExecution), ASL JSON text. */
  definition?: string;
  /** The order record from the order API at export time; null when it could not be read. */
  order?: Record<string, unknown> | null;
  events: HistoryEvent[];
}

export function buildExport(parts: {
  record: ExecutionRecord;
  events: HistoryEvent[];
  definition?: string;
  order?: Record<string, unknown> | null;
  mask?: boolean;
  now?: Date;
}): ExecutionExport {
  const exported: ExecutionExport = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: (parts.now ?? new Date()).toISOString(),
    masked: [],
    execution: parts.record,
    ...(parts.definition !== undefined && { definition: parts.definition }),
    order: parts.order ?? null,
    events: parts.events,
  };
  return parts.mask === false ? exported : maskExport(exported);
}

/**
 * Replaces the e-mail address and the payment token everywhere in the export (inputs, outputs,
 * causes, the order record): the values are read from the execution input and the order record,
 * then every occurrence of them is replaced, whatever JSON string nests it. The replacement
 * e-mail is random (no dictionary attack on a hash) and still an address the services accept.
 */
export function maskExport(exported: ExecutionExport): ExecutionExport {
  const input = parseObject(exported.execution.input);
  const replacements = new Map<string, string>();
  const email = stringField(input, 'email') ?? stringField(exported.order ?? undefined, 'email');
  if (email) replacements.set(email, `masked-${randomBytes(4).toString('hex')}@example.invalid`);
  const token = stringField(input, 'paymentToken');
  if (token && token !== MASKED_TOKEN) replacements.set(token, MASKED_TOKEN);
  let text = JSON.stringify({ ...exported, masked: [] });
  for (const [secret, mask] of replacements) {
    if (secret.length < 3) continue;
    // The raw value and its JSON-escaped forms (it may sit in a JSON string inside a JSON string).
    const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1)]);
    for (const form of forms) text = text.split(form).join(mask);
  }
  const masked = JSON.parse(text) as ExecutionExport;
  masked.masked = [...MASKED_FIELDS].filter((field) => (field === 'email' ? email : token) !== undefined);
  return masked;
}

/**
 * An export read back: this format, or a bare history (`history --json` before version 1, AWS
 * CLI output, Express log records), for which the record is rebuilt from the events.
 */
export function readExecutionExport(text: string, execution?: string): ExecutionExport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object' && (parsed as Json)['format'] === EXPORT_FORMAT) {
    const file = parsed as ExecutionExport;
    if (typeof file.version !== 'number' || file.version > EXPORT_VERSION) {
      throw new HistoryExportError(`export version ${String(file.version)} is newer than this inspector reads (${EXPORT_VERSION}); update the repository`);
    }
    if (!Array.isArray(file.events) || !file.execution) throw new HistoryExportError('the export has no execution or events');
    return { ...file, masked: file.masked ?? [], events: readHistoryExport(JSON.stringify(file.events)).events };
  }
  const history = readHistoryExport(text, execution);
  const arn = history.executionArn ?? `arn:aws:states:local:000000000000:execution:exported:${execution ?? 'exported-execution'}`;
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(0).toISOString(),
    masked: [],
    execution: recordFromHistory(arn, '', history.events),
    order: null,
    events: history.events,
  };
}

/** A JSON object from its text; undefined for anything else. */
export function parseObject(text: string | undefined): Json | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(object: Json | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

