import { errors } from './errors';

/**
 * Opaque pagination tokens: base64url JSON naming what they page through, so a token from one
 * listing (or garbage) is refused with InvalidToken instead of silently paging something else.
 */
export function encodeToken(kind: string, scope: string, position: string | number): string {
  return Buffer.from(JSON.stringify({ k: kind, s: scope, p: position })).toString('base64url');
}

export function decodeToken(token: string, kind: string, scope: string, maxLength: number): string | number {
  if (token.length > maxLength) {
    throw errors.validation(
      `1 validation error detected: Value '${token}' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`,
    );
  }
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; s?: unknown; p?: unknown };
    if (parsed.k === kind && parsed.s === scope && (typeof parsed.p === 'string' || typeof parsed.p === 'number')) return parsed.p;
  } catch {
    // fall through: not one of ours
  }
  throw errors.invalidToken(token);
}
