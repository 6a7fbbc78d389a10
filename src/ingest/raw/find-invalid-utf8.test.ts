// The UTF-8 scan: exact positions, sequences split across chunks, and the byte classes RFC 3629
// forbids (overlongs, surrogates, code points above U+10FFFF, a sequence cut off by the end).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describeInvalidUtf8, findInvalidUtf8, findInvalidUtf8InStream } from './find-invalid-utf8.js';

async function* chunks(...parts: Buffer[]): AsyncIterable<Buffer> {
  for (const p of parts) yield p;
}
const scan = (...parts: Buffer[]) => findInvalidUtf8InStream(chunks(...parts));
const b = (...bytes: number[]) => Buffer.from(bytes);
const s = (text: string) => Buffer.from(text, 'utf8');

describe('findInvalidUtf8', () => {
  test('valid UTF-8, multi-byte characters split across chunks, passes', async () => {
    const text = s('a,b\nJosé,Dončić 🏀\n"x\ny",z\n');
    assert.equal(await scan(text), undefined);
    for (let cut = 1; cut < text.length; cut++) assert.equal(await scan(text.subarray(0, cut), text.subarray(cut)), undefined, `cut at ${cut}`);
  });

  test('a Latin-1 é: its line, column, offset and CSV record', async () => {
    const bad = await scan(s('h1,h2\n1,Jos'), b(0xe9), s(',3\n'));
    assert.deepEqual(bad, { line: 2, column: 6, offset: 11, byte: 0xe9, record: 1 });
    assert.equal(describeInvalidUtf8(bad!), "the file is not UTF-8: line 2, column 6 has the byte 0xE9 ('é' in Latin-1); save it as UTF-8");
  });

  test('columns count characters, records skip newlines inside quotes', async () => {
    const bad = await scan(s('h\n"a\nb"\nDončić '), b(0xfc));
    assert.deepEqual(bad, { line: 4, column: 8, offset: 17, byte: 0xfc, record: 2 });
  });

  test('forbidden forms: lone continuation, overlong, surrogate, above U+10FFFF, cut off at the end', async () => {
    assert.equal((await scan(b(0x41, 0x80)))?.offset, 1);
    assert.equal((await scan(b(0xc0, 0xaf)))?.byte, 0xc0); // overlong '/'
    assert.equal((await scan(b(0xe0, 0x80, 0xaf)))?.byte, 0xe0); // overlong
    assert.equal((await scan(b(0xed, 0xa0, 0x80)))?.byte, 0xed); // U+D800
    assert.equal((await scan(b(0xf4, 0x90, 0x80, 0x80)))?.byte, 0xf4); // U+110000
    assert.equal((await scan(b(0x41, 0xe2, 0x82)))?.offset, 1); // '€' cut short
    assert.equal(describeInvalidUtf8({ line: 1, column: 1, offset: 0, byte: 0x92, record: 0 }).includes('Latin-1'), false);
  });

  test('reads plain and gzipped files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'courtside-utf8-'));
    try {
      const content = Buffer.concat([s('a,b\n1,2\n3,'), b(0xe9), s('\n')]);
      writeFileSync(join(dir, 'x.csv'), content);
      writeFileSync(join(dir, 'x.csv.gz'), gzipSync(content));
      writeFileSync(join(dir, 'bad.csv.gz'), gzipSync(content).subarray(0, 10));
      assert.equal((await findInvalidUtf8(join(dir, 'x.csv')))?.line, 3);
      assert.equal((await findInvalidUtf8(join(dir, 'x.csv.gz')))?.line, 3);
      assert.equal(await findInvalidUtf8(join(dir, 'bad.csv.gz')), undefined); // a broken stream is another check's to report
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
