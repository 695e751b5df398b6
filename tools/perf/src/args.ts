/** Tiny argument parsing shared by the bench commands: `--name value`, `--name=value`, `--flag`. */
export function parseArgs(argv: string[]): Map<string, string | true> {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      args.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      args.set(arg.slice(2), next);
      i += 1;
    } else {
      args.set(arg.slice(2), true);
    }
  }
  return args;
}

export function intArg(args: Map<string, string | true>, name: string, fallback: number, envName?: string): number {
  const raw = args.get(name) ?? (envName ? process.env[envName] : undefined);
  if (raw === undefined || raw === true || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function listArg(args: Map<string, string | true>, name: string): string[] {
  const raw = args.get(name);
  return typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : [];
}
