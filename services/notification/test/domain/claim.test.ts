import fc from 'fast-check';
import { decideOnExistingClaim } from '../../src/domain/claim';

const TIMEOUT_MS = 60_000;
const now = new Date('2025-03-01T10:05:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

test.each([
  ['a SENT record is a duplicate', { status: 'SENT', claimedAt: ago(1) }, 'DUPLICATE'],
  ['a fresh SENDING claim is in progress', { status: 'SENDING', claimedAt: ago(TIMEOUT_MS - 1) }, 'IN_PROGRESS'],
  ['a SENDING claim as old as the timeout is stale', { status: 'SENDING', claimedAt: ago(TIMEOUT_MS) }, 'STALE'],
  ['an unreadable claim time is stale, never stuck', { status: 'SENDING', claimedAt: 'garbage' }, 'STALE'],
] as const)('%s', (_name, existing, decision) => {
  expect(decideOnExistingClaim(existing, now, TIMEOUT_MS)).toBe(decision);
});

test('SENT is always a duplicate; SENDING is stale exactly when older than the timeout', () => {
  fc.assert(
    fc.property(fc.constantFrom('SENDING', 'SENT') as fc.Arbitrary<'SENDING' | 'SENT'>, fc.integer({ min: -TIMEOUT_MS, max: 10 * TIMEOUT_MS }), (status, ageMs) => {
      const decision = decideOnExistingClaim({ status, claimedAt: ago(ageMs) }, now, TIMEOUT_MS);
      if (status === 'SENT') expect(decision).toBe('DUPLICATE');
      else expect(decision).toBe(ageMs >= TIMEOUT_MS ? 'STALE' : 'IN_PROGRESS');
    }),
  );
});
