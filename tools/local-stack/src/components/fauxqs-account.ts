import { createHash } from 'node:crypto';

/**
 * fauxqs mints every ARN and queue URL with account 000000000000; the services' templates and
 * environment use the stack's account (123456789012). These pure functions translate at fauxqs's
 * HTTP boundary, so that clients only ever see the stack's account, in both directions.
 * Message bodies and attributes are the callers' data and are never touched, except the SNS
 * envelope that fauxqs itself wrote around a notification (its TopicArn and subscription URLs).
 */
export const FAUXQS_ACCOUNT = '000000000000';

export interface AccountPair {
  /** The account clients use. */
  outer: string;
  /** The account fauxqs uses. */
  inner: string;
}

function swapAccount(text: string, from: string, to: string): string {
  return text
    .replace(new RegExp(`(arn:aws:(?:sns|sqs):[a-z0-9-]*:)${from}(?=:)`, 'g'), `$1${to}`)
    .replace(new RegExp(`(https?://[^/\\s"'<>]+/)${from}(?=/)`, 'g'), `$1${to}`);
}

/** Keys whose values are message content (SQS JSON and SNS query-protocol names). */
function isMessageContentKey(key: string): boolean {
  return /(^|\.)(MessageBody|Message|Subject|MessageAttributes|MessageSystemAttributes)$/.test(key) || /(^|\.)MessageAttributes\./.test(key);
}

/** Request body (already parsed by fauxqs: JSON for SQS, flat form fields for SNS) → inner account. */
export function toInnerAccount<T>(body: T, accounts: AccountPair): T {
  const walk = (value: unknown, key: string): unknown => {
    if (isMessageContentKey(key)) return value;
    if (typeof value === 'string') return swapAccount(value, accounts.outer, accounts.inner);
    if (Array.isArray(value)) return value.map((item) => walk(item, ''));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  return walk(body, '') as T;
}

interface ReceivedMessage {
  Body?: string;
  MD5OfBody?: string;
  [key: string]: unknown;
}

/** The envelope fauxqs wraps around an SNS notification delivered to a queue. */
function isSnsEnvelope(body: string): boolean {
  if (!body.startsWith('{') || !body.includes('"Type"')) return false;
  try {
    const parsed = JSON.parse(body) as { Type?: unknown; TopicArn?: unknown };
    return parsed.Type === 'Notification' && typeof parsed.TopicArn === 'string';
  } catch {
    return false;
  }
}

/** SQS JSON response text → outer account (ReceiveMessage bodies: SNS envelopes only, MD5 recomputed). */
export function sqsResponseToOuterAccount(payload: string, accounts: AccountPair): string {
  if (!payload.includes(accounts.inner)) return payload;
  let parsed: { Messages?: ReceivedMessage[]; [key: string]: unknown };
  try {
    parsed = JSON.parse(payload);
  } catch {
    return payload;
  }
  const messages = parsed.Messages;
  const rest = swapDeep({ ...parsed, Messages: undefined }, accounts) as Record<string, unknown>;
  if (!messages) return JSON.stringify(rest);
  rest.Messages = messages.map((message) => {
    const { Body, MessageAttributes, ...meta } = message;
    const translated: ReceivedMessage = { ...(swapDeep(meta, accounts) as ReceivedMessage), MessageAttributes };
    if (Body === undefined) return translated;
    if (!isSnsEnvelope(Body)) return { ...translated, Body };
    const body = swapAccount(Body, accounts.inner, accounts.outer);
    return { ...translated, Body: body, MD5OfBody: createHash('md5').update(body, 'utf8').digest('hex') };
  });
  return JSON.stringify(rest);
}

/** SNS (XML) response text → outer account. SNS responses carry no message content. */
export function snsResponseToOuterAccount(payload: string, accounts: AccountPair): string {
  return swapAccount(payload, accounts.inner, accounts.outer);
}

function swapDeep(value: unknown, accounts: AccountPair): unknown {
  if (typeof value === 'string') return swapAccount(value, accounts.inner, accounts.outer);
  if (Array.isArray(value)) return value.map((item) => swapDeep(item, accounts));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, swapDeep(v, accounts)]),
    );
  }
  return value;
}
