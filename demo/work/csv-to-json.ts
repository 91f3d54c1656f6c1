import { parse } from 'csv-parse/sync';
import { UnprocessableInputError } from './unprocessable-input-error.js';

export interface CsvConversion {
  readonly rowCount: number;
  readonly columns: readonly string[];
  /** UTF-8 JSON text `{"rowCount":…,"columns":[…],"records":[…]}`, ready to send as is. */
  readonly json: Uint8Array;
}

/**
 * Parses CSV bytes whose first row names the columns, and renders the records
 * as JSON bytes. Both the parse and the stringify run here, so the caller's
 * thread only moves bytes.
 */
export function convertCsvToJson(csvBytes: Uint8Array): CsvConversion {
  let records: Record<string, unknown>[];
  try {
    records = parse<Record<string, unknown>>(csvBytes, { columns: true, skip_empty_lines: true, trim: true, cast: true });
  } catch (error) {
    throw new UnprocessableInputError('DEMO_MALFORMED_CSV', `The upload is not valid CSV: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  const columns = records.length > 0 ? Object.keys(records[0] ?? {}) : [];
  const json = new TextEncoder().encode(JSON.stringify({ rowCount: records.length, columns, records }));
  return { rowCount: records.length, columns, json };
}
