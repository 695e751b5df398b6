import { parseArgs } from 'node:util';
import { cognitoToken } from './cognito';
import { ensureDevIssuer, mintToken } from './issuer';

/**
 * `npm run -s token -- --customer c1 [--admin] [--expires-in 1h] [--audience x] [--scope s]...`
 * prints a development token signed by the local issuer (created in .local/auth on first use).
 * `npm run -s token -- --stage dev` prints an operator's token from that AWS stage's user pool.
 */
const USAGE = `Usage: npm run -s token -- --customer <id> [--admin] [--expires-in 1h] [--audience <aud>] [--scope <scope>]... [--header]
       npm run -s token -- --stage <aws stage> [--region <region>] [--header]
  --stage       an AWS stage (not local): an operator's access token (scope order-platform/admin) from
                its user pool, by client credentials, with your AWS credentials (reads SSM
                /order-platform/<stage>/auth/* and the client's secret from Cognito)
  --customer    the customer the token speaks for (its "sub" claim); required
  --admin       adds the scope order-platform/admin (catalogue writes, payments, notifications, every order)
  --expires-in  lifetime in seconds or as "15m", "1h", "7d"; --expires-in=-5m mints an expired token (default 1h)
  --audience    another "client_id" than order-platform-local (the services refuse it: for trying a 401)
  --scope       an extra scope (repeatable)
  --group       a group in "cognito:groups" (repeatable; the services grant nothing by group)
  --header      print "Authorization: Bearer <token>" instead of the bare token
  --jwks        print where the public key set is and exit`;

export async function main(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customer: { type: 'string' },
      admin: { type: 'boolean', default: false },
      'expires-in': { type: 'string' },
      audience: { type: 'string' },
      scope: { type: 'string', multiple: true },
      group: { type: 'string', multiple: true },
      header: { type: 'boolean', default: false },
      stage: { type: 'string', default: 'local' },
      region: { type: 'string' },
      jwks: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return USAGE;
  if (values.jwks) return (await ensureDevIssuer()).jwksFile;
  const bearer = (token: string) => (values.header ? `Authorization: Bearer ${token}` : token);
  if (values.stage !== 'local') {
    const localOnly = (['customer', 'admin', 'expires-in', 'audience', 'scope', 'group'] as const).filter((name) => values[name] !== undefined && values[name] !== false);
    if (localOnly.length > 0) throw new UsageError(`--${localOnly.join(', --')}: only for the local stage (an AWS stage's pool issues the operators' token as configured)`);
    return bearer(await cognitoToken({ stage: values.stage, ...(values.region ? { region: values.region } : {}) }));
  }
  if (!values.customer) throw new UsageError('--customer is required');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(values.customer)) {
    throw new UsageError('--customer must be 1 to 64 characters of A-Z, a-z, 0-9, "_" or "-" (the services refuse other ids)');
  }
  const rawExpiry = values['expires-in'];
  const expiresIn = rawExpiry === undefined ? undefined : /^-?\d+$/.test(rawExpiry) ? Number(rawExpiry) : rawExpiry;
  const token = await mintToken({
    customerId: values.customer,
    admin: values.admin,
    ...(values.scope ? { scopes: values.scope } : {}),
    ...(values.group ? { groups: values.group } : {}),
    ...(expiresIn !== undefined ? { expiresIn } : {}),
    ...(values.audience ? { audience: values.audience } : {}),
  });
  return bearer(token);
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (out) => process.stdout.write(`${out}\n`),
    (error: Error) => {
      process.stderr.write(`${error.message}\n${error instanceof UsageError || error.name === 'TypeError' ? `\n${USAGE}\n` : ''}`);
      process.exitCode = 2;
    },
  );
}
