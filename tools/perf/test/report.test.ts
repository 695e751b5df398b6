import { kib, markdownTable, ms, targetsCell, times, topPackages } from '../src/report';

describe('bench tables', () => {
  it('formats sizes, times and ratios', () => {
    expect(kib(2048)).toBe('2 KiB');
    expect(ms(12.345)).toBe('12.3 ms');
    expect(ms(Number.NaN)).toBe('n/a');
    expect(times(0.4)).toBe('0.40×');
    expect(times(null)).toBe('n/a');
    expect(topPackages([{ name: 'project:shared/src', bytes: 4096 }, { name: 'zod', bytes: 1024 }], 2)).toBe('shared/src 4 KiB, zod 1 KiB');
  });

  it('writes markdown tables with right-aligned columns and escaped pipes', () => {
    expect(markdownTable(['a', 'b'], [['x|y', 1]], ['l', 'r'])).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 1 |');
  });
});

describe('the targets cell of the cold-start table', () => {
  type Row = Parameters<typeof targetsCell>[0];
  const row = (targets: Partial<Row['targets']>, sdk?: { initBeyondEmptyMs: number; vsNaive: number }): Row =>
    ({
      targets: { halfNaiveSize: true, halfNaiveInit: true, under60msBeyondEmpty: true, sdkBound: { init: false, beyondEmpty: false }, ...targets },
      ...(sdk ? { sdkClients: { ...sdk, bytes: 1, clients: ['DynamoDBClient'], initMs: {}, initCpuMs: {} } } : {}),
    }) as unknown as Row;

  it('says yes when every target is met', () => {
    expect(targetsCell(row({}))).toBe('yes');
  });

  it('says SDK-bound, with the clients’ figures, when the SDK clients alone make every miss', () => {
    const cell = targetsCell(row({ halfNaiveInit: false, under60msBeyondEmpty: false, sdkBound: { init: true, beyondEmpty: true } }, { initBeyondEmptyMs: 71.04, vsNaive: 0.57 }));
    expect(cell).toBe('SDK-bound (its SDK clients alone: init 0.57× naive, 71.0 ms beyond empty)');
  });

  it('says no, naming what the project itself misses', () => {
    expect(targetsCell(row({ halfNaiveSize: false, under60msBeyondEmpty: false }))).toBe('**no** (size, 60 ms)');
    const cell = targetsCell(row({ halfNaiveInit: false, under60msBeyondEmpty: false, sdkBound: { init: false, beyondEmpty: true } }, { initBeyondEmptyMs: 66, vsNaive: 0.4 }));
    expect(cell).toBe('**no** (init; its SDK clients alone: 66.0 ms beyond empty)');
  });
});
