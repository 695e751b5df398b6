import { loadPrices, validatePrices } from '../src/prices';

describe('tools/perf/cost/prices.json', () => {
  it('is dated, names its region and holds every price the model uses', () => {
    const prices = loadPrices();
    expect(prices.region).toBe('eu-west-1');
    expect(prices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(prices.stepFunctions.standard.perThousandTransitions).toBeGreaterThan(0);
  });

  it('names a source for every service', () => {
    const prices = loadPrices() as unknown as Record<string, { source?: string }>;
    for (const service of ['lambda', 'stepFunctions', 'sns', 'sqs', 'dynamodb', 'apiGateway', 'ses', 'cloudWatchLogs']) {
      expect(prices[service]?.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
    }
  });

  it('says for every price when it was last checked and against what', () => {
    const prices = loadPrices() as unknown as Record<string, { checked?: { date: string; evidence: string[] }; standard?: { checked?: unknown }; express?: { checked?: unknown } }>;
    const entries = ['lambda', 'sns', 'sqs', 'dynamodb', 'apiGateway', 'ses', 'cloudWatchLogs'].map((service) => prices[service]?.checked);
    entries.push(prices.stepFunctions?.standard?.checked as never, prices.stepFunctions?.express?.checked as never);
    for (const checked of entries) {
      expect(checked?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(checked?.evidence.length).toBeGreaterThan(0);
    }
  });

  it('refuses a file with a missing or negative price', () => {
    const prices = JSON.parse(JSON.stringify(loadPrices()));
    prices.sqs.requestsPerMillion = -1;
    delete prices.lambda.gbSecond.arm64;
    expect(() => validatePrices(prices)).toThrow(/sqs.requestsPerMillion.*lambda.gbSecond.arm64|lambda.gbSecond.arm64.*sqs.requestsPerMillion/);
  });
});
