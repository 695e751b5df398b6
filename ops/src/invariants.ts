/**
 * `npm run check:invariants`: checks the platform's guarantees against a stack (the local one of
 * `npm start`, or an AWS stage). Exit code 1 when any invariant is violated. See ops/README.md.
 */
import { checkInvariants, INVARIANTS, type CheckOptions, type Report, type Snapshot } from './invariant-checks';
import { readSnapshot } from './snapshot';
import { resolveTarget, TargetError, type Target } from './target';
import { runFromCommandLine, parseCommandArgs, type CliIo } from './command-args';

const USAGE = `usage: npm run check:invariants -- [options]

  --stage <stage>        local (default: the local stack of npm start) or an AWS stage (default credentials)
  --region <region>      AWS region (default AWS_REGION, else eu-west-1)
  --sku <sku>            only this SKU and the orders containing it (repeatable)
  --order <orderId>      only this order (repeatable)
  --pending-grace <s>    a PENDING order younger than this may not have its saga yet (default 120)
  --json                 the whole report as JSON

invariants: ${INVARIANTS.join(', ')}`;

export interface InvariantsIo extends CliIo {
  /** Tests hand in their own snapshot reader. */
  read?: (target: Target) => Promise<Snapshot>;
}

/** Reads the stack and checks it: what the e2e tests call. */
export async function checkStack(target: Target, options: CheckOptions = {}): Promise<Report> {
  return checkInvariants(await readSnapshot(target), options);
}

export async function runInvariants(argv: string[], io: InvariantsIo): Promise<number> {
  const parsed = parseCommandArgs(
    {
      args: argv,
      options: {
        stage: { type: 'string' },
        region: { type: 'string' },
        sku: { type: 'string', multiple: true },
        order: { type: 'string', multiple: true },
        'pending-grace': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const grace = values['pending-grace'] === undefined ? 120 : Number(values['pending-grace']);
  if (!(grace >= 0)) {
    io.stderr(`--pending-grace must be a number of seconds, got "${values['pending-grace']}"`);
    return 2;
  }
  let target: Target;
  try {
    target = resolveTarget({ stage: values.stage, region: values.region }, io.env ?? process.env);
  } catch (error) {
    io.stderr((error as Error).message);
    return error instanceof TargetError ? 1 : 2;
  }
  const options: CheckOptions = {
    pendingGraceMs: grace * 1000,
    scope: {
      ...(values.sku?.length ? { skus: new Set(values.sku) } : {}),
      ...(values.order?.length ? { orderIds: new Set(values.order) } : {}),
    },
  };
  let report: Report;
  try {
    report = checkInvariants(await (io.read ?? readSnapshot)(target), options);
  } catch (error) {
    io.stderr(`could not read the stack (${target.source}): ${(error as Error).name}: ${(error as Error).message}`);
    return 1;
  }
  if (values.json) io.stdout(JSON.stringify({ stage: target.stage, ...report }, null, 2));
  else printReport(io, target, report);
  return report.ok ? 0 : 1;
}

export function printReport(io: Pick<InvariantsIo, 'stdout'>, target: Target, report: Report): void {
  const { checked, orders } = report;
  io.stdout(`stage ${target.stage} · ${target.source} · ${report.takenAt}`);
  io.stdout(
    `checked ${checked.skus} SKUs, ${checked.orders} orders (${orders.CONFIRMED} CONFIRMED, ${orders.FAILED} FAILED, ${orders.PENDING} PENDING of which ${orders.pendingRunning} running), ` +
      `${checked.payments} payments, ${checked.notifications} notifications`,
  );
  for (const invariant of INVARIANTS) {
    const count = report.violationsByInvariant[invariant];
    io.stdout(`  ${count === 0 ? 'ok  ' : 'FAIL'} ${invariant}${count === 0 ? '' : ` (${count})`}`);
  }
  for (const violation of report.violations.slice(0, 50)) io.stdout(`  ✗ ${violation.invariant} ${violation.subject}: ${violation.detail}`);
  if (report.violations.length > 50) io.stdout(`  … and ${report.violations.length - 50} more (--json for all)`);
  if (report.terminalWithoutNotification > 0) io.stdout(`  note: ${report.terminalWithoutNotification} finished orders have no outcome notification yet`);
  const warningsByKind = new Map<string, number>();
  for (const warning of report.warnings) warningsByKind.set(warning.kind, (warningsByKind.get(warning.kind) ?? 0) + 1);
  for (const [kind, count] of warningsByKind) io.stdout(`  warning: ${count} × ${kind} (e.g. ${report.warnings.find((w) => w.kind === kind)!.subject})`);
  io.stdout(report.ok ? 'all invariants hold' : `${report.violations.length} violation(s)`);
}

if (require.main === module) runFromCommandLine(runInvariants);
