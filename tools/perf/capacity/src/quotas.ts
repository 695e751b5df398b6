import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A figure that may differ by Region: one number, or per-Region numbers with a `default`. */
export type RegionalValue = number | ({ default: number } & Record<string, number>);

/** tools/perf/capacity/quotas.json: one AWS quota with its source and the date it was checked. */
export interface Quota {
  name: string;
  /** null: no published limit (SQS standard queues). */
  value: RegionalValue | null;
  burst?: RegionalValue;
  unit: string;
  adjustable: boolean;
  source: string;
  checked: string;
  /** false: recorded from memory, or the page gives no fixed figure; check before relying on it. */
  verified: boolean;
  checkedAgainst?: string;
  note?: string;
}

export interface Quotas {
  asOf: string;
  quotas: Record<string, Quota>;
}

export const QUOTAS_FILE = path.join(__dirname, '..', 'quotas.json');

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validRegional(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0;
  if (typeof value !== 'object' || value === null) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  return 'default' in value && entries.every(([, v]) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
}

/** Checks that every quota has a value (or null), a unit, whether it can be raised, a source URL and a date. */
export function validateQuotas(value: unknown): Quotas {
  const file = value as Quotas;
  if (!file || typeof file !== 'object' || typeof file.quotas !== 'object' || file.quotas === null) throw new Error('quotas must be an object with a `quotas` map');
  const problems: string[] = [];
  if (typeof file.asOf !== 'string' || !DATE.test(file.asOf)) problems.push('asOf must be a YYYY-MM-DD date');
  for (const [id, q] of Object.entries(file.quotas)) {
    if (q.value !== null && !validRegional(q.value)) problems.push(`${id}.value must be a non-negative number, per-Region numbers with a default, or null`);
    if (q.burst !== undefined && !validRegional(q.burst)) problems.push(`${id}.burst must be a number or per-Region numbers with a default`);
    if (typeof q.name !== 'string' || typeof q.unit !== 'string') problems.push(`${id} needs a name and a unit`);
    if (typeof q.adjustable !== 'boolean') problems.push(`${id}.adjustable must be true or false`);
    if (typeof q.verified !== 'boolean') problems.push(`${id}.verified must be true or false`);
    if (typeof q.source !== 'string' || !/^https:\/\//.test(q.source)) problems.push(`${id}.source must be an https URL`);
    if (typeof q.checked !== 'string' || !DATE.test(q.checked)) problems.push(`${id}.checked must be a YYYY-MM-DD date`);
  }
  if (problems.length > 0) throw new Error(`invalid quotas: ${problems.join('; ')}`);
  return file;
}

export function loadQuotas(file = QUOTAS_FILE): Quotas {
  return validateQuotas(JSON.parse(readFileSync(file, 'utf8')));
}

/** The figure for `region` (its own, else the default). */
export function regional(value: RegionalValue, region: string): number {
  return typeof value === 'number' ? value : (value[region] ?? value.default);
}

/** A quota's value in `region`; null when it has no published limit. */
export function quotaValue(quotas: Quotas, id: string, region: string): number | null {
  const quota = quotas.quotas[id];
  if (!quota) throw new Error(`no quota "${id}" in quotas.json`);
  return quota.value === null ? null : regional(quota.value, region);
}
