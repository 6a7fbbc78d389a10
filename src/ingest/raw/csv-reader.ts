// How a season CSV is read (the same options wherever it is read: the DuckDB warehouse, or this
// machine before a BigQuery load) and how a read failure is told: the line to blame, found by
// diagnoseCsv, since DuckDB's own message rarely names it.
import { InputError, errorMessage } from '../../core/errors.js';
import { diagnoseCsv } from './diagnose-csv.js';

/** DuckDB's reader of a CSV at `path` (an SQL expression): all text, strict (a short or long line is an error, not padded). */
export const CSV_READER = (path: string): string =>
  `read_csv(${path}, all_varchar = true, header = true, strict_mode = true, null_padding = false, auto_detect = true)`;

/** What to say when DuckDB could not read a CSV. */
export async function unreadableCsv(file: string, err: unknown): Promise<InputError> {
  const problem = await diagnoseCsv(file);
  const reason = problem?.message ?? errorMessage(err).split('\n')[0];
  return new InputError(file, `cannot be read: ${reason}`, problem?.row, { cause: err });
}
