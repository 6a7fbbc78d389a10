// When DuckDB cannot read a CSV, find the first line that breaks it, so the error names the
// row: a byte that is not UTF-8, a truncated gzip stream, or a line whose field count differs
// from the header's.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { describeInvalidUtf8, findInvalidUtf8 } from './find-invalid-utf8.js';

export interface CsvProblem {
  readonly message: string;
  /** Data row (1 = first line after the header), when one line is to blame. */
  readonly row?: number;
}

/** Fields in one CSV line, honouring double quotes; `open` carries an unclosed quote across lines. */
function countFields(line: string, open: boolean): { fields: number; open: boolean } {
  let fields = 1;
  let inQuotes = open;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === ',' && !inQuotes) fields++;
  }
  return { fields, open: inQuotes };
}

export async function diagnoseCsv(file: string): Promise<CsvProblem | undefined> {
  // DuckDB reads UTF-8 only and names just the line; say that it is the encoding, and where.
  const notUtf8 = await findInvalidUtf8(file);
  if (notUtf8) return { message: describeInvalidUtf8(notUtf8), ...(notUtf8.record > 0 ? { row: notUtf8.record } : {}) };
  const raw = createReadStream(file);
  let input: Readable = raw;
  let gzipError: Error | undefined;
  if (file.endsWith('.gz')) {
    const gunzip = createGunzip();
    gunzip.on('error', (e) => (gzipError = e));
    input = raw.pipe(gunzip);
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  let header = -1;
  let lineNo = 0;
  let pending = 0; // fields accumulated by a record that spans lines inside quotes
  let open = false;
  let recordStart = 0;
  let problem: CsvProblem | undefined;
  try {
    for await (const line of lines) {
      lineNo++;
      if (!open) recordStart = lineNo;
      const counted = countFields(line, open);
      pending += counted.fields - (open ? 1 : 0);
      open = counted.open;
      if (open) continue;
      if (header < 0) header = pending;
      else if (pending !== header && line.length > 0) {
        problem = { message: `line ${recordStart} has ${pending} fields where the header has ${header} (truncated or malformed row)`, row: recordStart - 1 };
        break;
      }
      pending = 0;
    }
  } catch (e) {
    gzipError = e as Error;
  }
  lines.close();
  raw.destroy();
  if (gzipError) return { message: `compressed stream is truncated or corrupt after line ${lineNo} (${gzipError.message})`, row: Math.max(lineNo - 1, 1) };
  if (!problem && open) return { message: `a quoted field opened on line ${recordStart} never closes (truncated file)`, row: recordStart - 1 };
  return problem;
}
