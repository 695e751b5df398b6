import { stripVTControlCharacters } from 'node:util';

/** Column-aligned text that ignores colour codes when measuring. */
export const visibleWidth = (text: string) => [...stripVTControlCharacters(text)].length;

export function table(header: string[], rows: string[][], gap = 2): string[] {
  const widths = header.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(cell)))))
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** One line of at most `max` characters (JSON stays on one line, with an ellipsis). */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/gu, ' ');
  return flat.length > max ? `${flat.slice(0, Math.max(1, max - 1))}…` : flat;
}

/** `2026-01-02 03:04:05Z`: ISO without the noise, still UTC. */
export const shortTime = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/u, 'Z') : '-');
