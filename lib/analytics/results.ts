/**
 * Results of the analyses, the same shape whichever engine ran them: DuckDB hands back typed values
 * (bigint, its own timestamp objects), Athena strings with a column type each. Both are normalized
 * here: integers and decimals to numbers, booleans to booleans, timestamps to ISO strings in UTC.
 */
import type { AnalysisName } from './analyses';

export type Cell = string | number | boolean | null;

export interface AnalysisResult {
  readonly name: AnalysisName;
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
  /** Bytes the engine read (Athena: DataScannedInBytes); absent locally. */
  readonly bytesScanned?: number;
}

const SQL_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?$/;

/** A timestamp as both engines print it (`2026-03-01 12:00:00[.000]`) as ISO (`2026-03-01T12:00:00Z`); other text unchanged. */
export function normalizeText(text: string): string {
  const m = SQL_TIMESTAMP.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}

/** Athena's column types whose values are numbers. */
const NUMERIC_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'double', 'float', 'real', 'decimal']);

/** An Athena result cell (always text, or absent for NULL) by its column type. */
export function athenaCell(value: string | undefined, type: string): Cell {
  if (value === undefined) return null;
  const t = type.toLowerCase().replace(/\(.*$/, '');
  if (NUMERIC_TYPES.has(t)) {
    if (value === 'NaN') return null;
    return Number(value);
  }
  if (t === 'boolean') return value === 'true';
  return normalizeText(value);
}

/** A DuckDB value (from `getRowObjectsJS`) as a cell. */
export function duckDbCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return normalizeText(value);
  if (value instanceof Date) return `${value.toISOString().slice(0, 19)}Z`;
  return normalizeText(String(value));
}

/** Rounds numbers for display; integers unchanged. */
function show(c: Cell): string {
  if (c === null) return '-';
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : c.toFixed(Math.abs(c) >= 100 ? 1 : 4);
  return String(c);
}

/** A result as an aligned text table (at most `maxRows` rows). */
export function resultTable(r: AnalysisResult, maxRows = 20): string {
  const rows = r.rows.slice(0, maxRows).map((row) => r.columns.map((c) => show(row[c] ?? null)));
  const widths = r.columns.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(r.columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (r.rows.length > maxRows) out.push(`… ${r.rows.length - maxRows} more rows (see --json)`);
  if (r.rows.length === 0) out.push('(no rows)');
  return out.join('\n');
}
