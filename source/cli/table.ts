/**
 * Plain column output for listings: padded columns on a terminal or in a
 * pipe; `--json` is the machine-readable form.
 */

export function table(rows: string[][], headers?: string[]): string {
  const all = headers ? [headers, ...rows] : rows;
  if (!all.length) return '';
  const widths = all[0]!.map((_, column) => Math.max(...all.map((row) => [...(row[column] ?? '')].length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd((widths[column] ?? 0) + (cell.length - [...cell].length))))
      .join('  ')
      .trimEnd();
  return `${all.map(line).join('\n')}\n`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
