import { stripVTControlCharacters } from 'node:util';
import { helpText, parseCommandLine, UsageError } from '../src/cli/args';
import { colourEnabled, createStyle, executionStatus } from '../src/cli/style';
import { clip, table } from '../src/cli/table';

describe('colour decision', () => {
  it('colours a terminal, not a pipe', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
  });

  it('honours NO_COLOR, --no-color, TERM=dumb and FORCE_COLOR', () => {
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, {}, false)).toBe(false);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('styles only when enabled', () => {
    expect(executionStatus(createStyle(false), 'FAILED')).toBe('✗ FAILED');
    const coloured = executionStatus(createStyle(true), 'FAILED');
    expect(coloured).not.toBe('✗ FAILED');
    expect(stripVTControlCharacters(coloured)).toBe('✗ FAILED');
  });
});

describe('tables', () => {
  it('aligns columns by visible width, ignoring colour codes', () => {
    const style = createStyle(true);
    const lines = table(['A', 'B'], [[style.red('xx'), '1'], ['y', '22']]).map(stripVTControlCharacters);
    expect(lines).toEqual(['A   B', 'xx  1', 'y   22']);
    expect(clip('{"a":\n 1}', 100)).toBe('{"a": 1}');
    expect(clip('abcdefghij', 5)).toBe('abcd…');
  });
});

describe('command line', () => {
  it('parses a command with its options and the global ones', () => {
    expect(parseCommandLine(['list', '--status', 'FAILED', '--since', '1h', '--json', '--endpoint', 'http://x'])).toEqual({
      command: 'list',
      positionals: [],
      values: { status: 'FAILED', since: '1h', json: true, endpoint: 'http://x' },
    });
    expect(parseCommandLine(['show', 'ord-1', '--full'])).toMatchObject({ command: 'show', positionals: ['ord-1'] });
  });

  it('rejects unknown commands, unknown options and missing arguments', () => {
    expect(() => parseCommandLine(['lst'])).toThrow(UsageError);
    expect(() => parseCommandLine(['list', '--bogus'])).toThrow(UsageError);
    expect(() => parseCommandLine(['redrive'])).toThrow(/usage: npm run saga -- redrive/);
    expect(() => parseCommandLine(['stop', 'a', 'b'])).toThrow(UsageError);
  });

  it('has help for every command', () => {
    expect(helpText()).toMatch(/list .*\n.*show/s);
    expect(helpText('redrive')).toContain('npm run saga -- redrive <orderId|executionArn>');
  });
});
