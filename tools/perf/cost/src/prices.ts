import { readFileSync } from 'node:fs';
import path from 'node:path';

/** tools/perf/cost/prices.json: dated AWS list prices (USD, one region), each with its source. */
export interface Prices {
  region: string;
  currency: string;
  asOf: string;
  lambda: { requestsPerMillion: number; gbSecond: { arm64: number; x86_64: number }; billingGranularityMs: number; source: string };
  stepFunctions: {
    source: string;
    standard: { perThousandTransitions: number };
    express: { requestsPerMillion: number; gbSecond: number; durationGranularityMs: number; memoryChunkMb: number; baseMemoryMb: number };
  };
  sns: { publishesPerMillion: number; chunkKb: number; source: string };
  sqs: { requestsPerMillion: number; chunkKb: number; source: string };
  dynamodb: { writeRequestUnitsPerMillion: number; readRequestUnitsPerMillion: number; source: string };
  apiGateway: { httpRequestsPerMillion: number; source: string };
  ses: { emailsPerThousand: number; source: string };
  cloudWatchLogs: { ingestionPerGb: number; source: string };
}

export const PRICES_FILE = path.join(__dirname, '..', 'prices.json');

const REQUIRED_NUMBERS: Array<[string, (p: Prices) => unknown]> = [
  ['lambda.requestsPerMillion', (p) => p.lambda.requestsPerMillion],
  ['lambda.gbSecond.arm64', (p) => p.lambda.gbSecond.arm64],
  ['lambda.gbSecond.x86_64', (p) => p.lambda.gbSecond.x86_64],
  ['stepFunctions.standard.perThousandTransitions', (p) => p.stepFunctions.standard.perThousandTransitions],
  ['stepFunctions.express.requestsPerMillion', (p) => p.stepFunctions.express.requestsPerMillion],
  ['stepFunctions.express.gbSecond', (p) => p.stepFunctions.express.gbSecond],
  ['stepFunctions.express.durationGranularityMs', (p) => p.stepFunctions.express.durationGranularityMs],
  ['stepFunctions.express.memoryChunkMb', (p) => p.stepFunctions.express.memoryChunkMb],
  ['stepFunctions.express.baseMemoryMb', (p) => p.stepFunctions.express.baseMemoryMb],
  ['sns.publishesPerMillion', (p) => p.sns.publishesPerMillion],
  ['sqs.requestsPerMillion', (p) => p.sqs.requestsPerMillion],
  ['dynamodb.writeRequestUnitsPerMillion', (p) => p.dynamodb.writeRequestUnitsPerMillion],
  ['dynamodb.readRequestUnitsPerMillion', (p) => p.dynamodb.readRequestUnitsPerMillion],
  ['apiGateway.httpRequestsPerMillion', (p) => p.apiGateway.httpRequestsPerMillion],
  ['ses.emailsPerThousand', (p) => p.ses.emailsPerThousand],
  ['cloudWatchLogs.ingestionPerGb', (p) => p.cloudWatchLogs.ingestionPerGb],
];

/** Checks that every price the model uses is a non-negative number and the file is dated. */
export function validatePrices(value: unknown): Prices {
  const prices = value as Prices;
  const problems: string[] = [];
  if (!prices || typeof prices !== 'object') throw new Error('prices must be an object');
  if (typeof prices.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(prices.asOf)) problems.push('asOf must be a YYYY-MM-DD date');
  if (typeof prices.region !== 'string') problems.push('region is missing');
  for (const [name, get] of REQUIRED_NUMBERS) {
    let v: unknown;
    try {
      v = get(prices);
    } catch {
      v = undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`${name} must be a non-negative number`);
  }
  if (problems.length > 0) throw new Error(`invalid prices: ${problems.join('; ')}`);
  return prices;
}

export function loadPrices(file = PRICES_FILE): Prices {
  return validatePrices(JSON.parse(readFileSync(file, 'utf8')));
}
