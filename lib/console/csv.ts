import { apiError } from '@/lib/http/errors';

// The CSV of the list APIs (api.md "Lists": `?format=csv` returns the same rows as CSV).

export type CsvValue = string | number | boolean | null | undefined;

/**
 * A text cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading
 * apostrophe, so it is shown as text (OWASP "CSV Injection"). Cells hold data read from clusters (annotations,
 * names), which anyone who can annotate a service account controls. Numbers are not text and stay as they are.
 */
export function neutralizeCsvFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes. */
function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? neutralizeCsvFormula(value) : String(value);
  return /[",\r\n\t]/.test(text) || text !== String(value) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header line and one line per row, CRLF-terminated. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** The response for `format=csv`, offered as a download named `filename`. */
export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      'cache-control': 'no-store',
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
    },
  });
}

/** `format` of a list API: json (default) or csv; anything else is a 400 naming the field. */
export function listFormatOf(params: URLSearchParams): 'json' | 'csv' | Response {
  const format = params.get('format') ?? 'json';
  if (format === 'json' || format === 'csv') return format;
  return apiError(400, 'invalid-input', 'The filters are invalid.', { fields: { format: 'expected "json" or "csv"' } });
}
