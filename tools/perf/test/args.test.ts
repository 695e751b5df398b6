import { intArg, listArg, parseArgs } from '../src/args';

describe('bench arguments', () => {
  it('reads --name value, --name=value and flags', () => {
    const args = parseArgs(['--rounds', '3', '--only=a,b', '--no-deps']);
    expect(intArg(args, 'rounds', 10)).toBe(3);
    expect(listArg(args, 'only')).toEqual(['a', 'b']);
    expect(args.get('no-deps')).toBe(true);
    expect(intArg(args, 'missing', 7)).toBe(7);
    expect(() => intArg(parseArgs(['--rounds', 'x']), 'rounds', 1)).toThrow(/positive integer/);
  });
});
