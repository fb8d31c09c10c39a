/** Everything the CLI prints goes to stdout through here; progress and errors go to stderr. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  say(JSON.stringify(value, null, 2));
}

/** Columns padded to their widest cell, a header row first; `null` and `undefined` show as `-`. */
export function table(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[] = Object.keys(rows[0] ?? {})): string {
  const cell = (value: unknown): string =>
    value === null || value === undefined ? '-' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const cells = [columns.map((c) => c.toUpperCase()), ...rows.map((row) => columns.map((c) => cell(row[c])))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  return cells.map((line) => line.map((value, i) => (i === line.length - 1 ? value : value.padEnd(widths[i]))).join('  ')).join('\n');
}

/** `¥12,345` */
export function yen(amount: number): string {
  return `¥${amount.toLocaleString('en-US')}`;
}
