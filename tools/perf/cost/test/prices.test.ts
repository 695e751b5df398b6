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

  it('refuses a file with a missing or negative price', () => {
    const prices = JSON.parse(JSON.stringify(loadPrices()));
    prices.sqs.requestsPerMillion = -1;
    delete prices.lambda.gbSecond.arm64;
    expect(() => validatePrices(prices)).toThrow(/sqs.requestsPerMillion.*lambda.gbSecond.arm64|lambda.gbSecond.arm64.*sqs.requestsPerMillion/);
  });
});
