// Finds the first byte of a text file that is not UTF-8 (e.g. a Latin-1 'é' = 0xE9), with its line,
// column and CSV row, so that an encoding problem is reported as one and not as a bare line number.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface InvalidUtf8 {
  /** 1-based physical line. */
  readonly line: number;
  /** 1-based character position in that line. */
  readonly column: number;
  /** 0-based byte offset in the (decompressed) file. */
  readonly offset: number;
  /** The byte that starts the invalid sequence. */
  readonly byte: number;
  /** CSV record the byte is in (0 = header, 1 = first data row), newlines inside quotes not counted. */
  readonly record: number;
}

/** Bytes that may follow a lead byte as its second byte (RFC 3629 table), and how many continuation bytes it needs in all. */
function leadInfo(b: number): { readonly need: number; readonly lo: number; readonly hi: number } | undefined {
  if (b >= 0xc2 && b <= 0xdf) return { need: 1, lo: 0x80, hi: 0xbf };
  if (b === 0xe0) return { need: 2, lo: 0xa0, hi: 0xbf };
  if (b === 0xed) return { need: 2, lo: 0x80, hi: 0x9f }; // no UTF-16 surrogates
  if (b >= 0xe1 && b <= 0xef) return { need: 2, lo: 0x80, hi: 0xbf };
  if (b === 0xf0) return { need: 3, lo: 0x90, hi: 0xbf };
  if (b >= 0xf1 && b <= 0xf3) return { need: 3, lo: 0x80, hi: 0xbf };
  if (b === 0xf4) return { need: 3, lo: 0x80, hi: 0x8f }; // nothing above U+10FFFF
  return undefined;
}

/** Scans a byte stream; the first invalid sequence, or undefined when all of it is UTF-8. */
export async function findInvalidUtf8InStream(input: AsyncIterable<Buffer>): Promise<InvalidUtf8 | undefined> {
  let offset = 0;
  let line = 1;
  let column = 0; // characters completed on this line
  let record = 0;
  let quoted = false;
  // The sequence being read: where it started and what it still needs.
  let start: { offset: number; line: number; column: number; record: number; byte: number } | undefined;
  let need = 0;
  let second: { lo: number; hi: number } | undefined;
  const fail = () => (start ? { ...start, column: start.column + 1 } : undefined);
  for await (const chunk of input) {
    for (let i = 0; i < chunk.length; i++, offset++) {
      const b = chunk[i]!;
      if (need > 0) {
        const lo = second?.lo ?? 0x80;
        const hi = second?.hi ?? 0xbf;
        if (b < lo || b > hi) return fail();
        second = undefined;
        if (--need === 0) {
          start = undefined;
          column++;
        }
        continue;
      }
      if (b < 0x80) {
        if (b === 0x22) quoted = !quoted;
        if (b === 0x0a) {
          line++;
          column = 0;
          if (!quoted) record++;
        } else column++;
        continue;
      }
      const info = leadInfo(b);
      start = { offset, line, column, record, byte: b };
      if (!info) return fail();
      need = info.need;
      second = { lo: info.lo, hi: info.hi };
    }
  }
  return need > 0 ? fail() : undefined; // a sequence cut off by the end of the file
}

/** Scans a file (gunzipped when it ends in .gz); a stream that cannot be read is left to other checks. */
export async function findInvalidUtf8(file: string): Promise<InvalidUtf8 | undefined> {
  const raw = createReadStream(file);
  let input: Readable = raw;
  if (file.endsWith('.gz')) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    input = raw.pipe(gunzip);
  }
  try {
    return await findInvalidUtf8InStream(input);
  } catch {
    return undefined; // a corrupt gzip stream: diagnoseCsv reports it
  } finally {
    raw.destroy();
    input.destroy();
  }
}

/** How a user should read the byte: its Latin-1 character when it has a printable one. */
export function describeInvalidUtf8(bad: InvalidUtf8): string {
  const hex = `0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  const latin1 = bad.byte >= 0xa0 ? ` ('${String.fromCharCode(bad.byte)}' in Latin-1)` : '';
  return `the file is not UTF-8: line ${bad.line}, column ${bad.column} has the byte ${hex}${latin1}; save it as UTF-8`;
}
