import { kib, markdownTable, ms, times, topPackages } from '../src/report';

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
