/** Human durations and time windows, shared by the CLI and the web API. */

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m ${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export class InvalidTimeError extends Error {
  override readonly name = 'InvalidTimeError';
}

/** `15m`, `2h`, `7d` (ago) or an ISO date -> the instant it names. */
export function parseSince(value: string, now = Date.now()): Date {
  const relative = /^(\d+(?:\.\d+)?)\s*([smhdw])$/u.exec(value.trim());
  if (relative) return new Date(now - Number(relative[1]) * (UNITS[relative[2] ?? 's'] ?? 1000));
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new InvalidTimeError(`invalid time "${value}": use 15m, 2h, 7d or an ISO date`);
  return new Date(parsed);
}
