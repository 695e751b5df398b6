import { createHash, randomUUID } from 'node:crypto';

const BASE32_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford: no i, l, o, u
const DETERMINISTIC_ID_CHARS = 26; // 130 bits of the digest

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * The order id for a request carrying an Idempotency-Key: the same customer and key always give
 * the same id, so a retried POST lands on the same row (and the same saga execution name).
 * Keys are scoped per customer: two customers may use the same key.
 */
export function deterministicOrderId(customerId: string, idempotencyKey: string): string {
  // customerId cannot contain "\n", so the separator keeps ("ab","c") apart from ("a","bc").
  const digest = createHash('sha256').update(`${customerId}\n${idempotencyKey}`, 'utf8').digest();
  return `ord_${base32(digest).slice(0, DETERMINISTIC_ID_CHARS)}`;
}

export function randomOrderId(uuid: () => string = randomUUID): string {
  return `ord_${uuid().replace(/-/g, '')}`;
}

export function orderIdFor(customerId: string, idempotencyKey: string | undefined): string {
  return idempotencyKey === undefined ? randomOrderId() : deterministicOrderId(customerId, idempotencyKey);
}

/** JSON with object keys sorted at every level: equal documents give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Fingerprint of a validated request body, stored on the order to recognise a replay. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}
