/**
 * `npm run chaos:kill` as a test (issue 16): during a burst of orders, SIGKILL each service's
 * serverless offline, DynamoDB Local and fauxqs at random moments (at least 10 kills); the stack's
 * supervisor restarts each. Then every order is terminal within the bound, each has exactly one
 * outcome notification, nothing reached a dead-letter queue during the run, and every invariant of
 * `npm run check:invariants` holds. The npm script runs 300 orders; this test runs fewer
 * (CHAOS_KILL_ORDERS, default 100) to keep the e2e lane short.
 *
 * It kills the components of the stack the e2e run uses (the supervisor brings them back).
 */
import { CHAOS_KILL_DEFAULTS, runChaosKill } from '../../tools/local-stack/src/chaos/chaos-kill';
import { endpointsFilePath } from '../../ops/src/target';

jest.setTimeout(20 * 60_000);

const ORDERS = Number(process.env.CHAOS_KILL_ORDERS ?? 100);
const KILLS = 10;

test(`${KILLS} SIGKILLs of the stack's components during ${ORDERS} orders: each comes back, every order finishes, every invariant holds`, async () => {
  const lines: string[] = [];
  const report = await runChaosKill({
    ...CHAOS_KILL_DEFAULTS,
    endpointsFile: process.env.LOCAL_ENDPOINTS_FILE || endpointsFilePath(),
    orders: ORDERS,
    kills: KILLS,
    settleTimeoutMs: 300_000,
    log: (line) => lines.push(line),
  });
  console.log(lines.join('\n'));

  expect(report.kills.length).toBeGreaterThanOrEqual(KILLS);
  // Every kind of child component was killed at least once.
  expect(new Set(report.kills.map((k) => k.target.replace(/^\w+ \(serverless offline\)$/, 'serverless offline')))).toEqual(
    new Set(['DynamoDB Local', 'fauxqs', 'serverless offline']),
  );
  expect(report.kills.filter((k) => k.recoveredAfterMs === undefined)).toEqual([]);
  expect(report.survived).toBe(report.kills.length);
  expect(report.allTerminalAfterMs).toBeDefined();
  expect(report.pending).toBe(0);
  expect(report.notificationProblems).toEqual([]);
  expect(Object.entries(report.deadLetters).filter(([, depth]) => depth > 0)).toEqual([]);
  expect(report.invariants.violations).toEqual([]);
  expect(report.problems).toEqual([]);
});
