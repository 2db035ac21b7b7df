import { ENTRY_FIELDS, type AuditEntryView } from './audit-entry.view';

/** A cell a spreadsheet would read as a formula (CWE-1236) starts with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** RFC 4180: a cell with a quote, comma, CR or LF is quoted. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell: formula-looking text is neutralised with a leading `'`, then
 * quoted when RFC 4180 asks for it (quotes doubled). null/undefined → empty;
 * objects (`changes`) → their JSON.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const CSV_HEADER = csvLine(ENTRY_FIELDS);

export function csvRow(entry: AuditEntryView): string {
  return csvLine(ENTRY_FIELDS.map((field) => entry[field]));
}
