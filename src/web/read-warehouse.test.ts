// The dashboard's handle on the warehouse, against real processes: open only while requests are in
// flight (so another process can start writing right after), shared by concurrent requests, and
// "busy" (not an error) while another process writes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { WarehouseBusyError, WarehouseUnavailableError } from './http-errors.js';
import { ReadWarehouse } from './read-warehouse.js';

const HOLDER = fileURLToPath(new URL('./testing/hold-writer.ts', import.meta.url));

/** Another process that opens the file for writing; resolves once it holds it, or with its error. */
function holdWriter(path: string, statement?: string): Promise<{ child: ChildProcess; held: boolean; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, path, ...(statement ? [statement] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => c.toString().includes('held') && resolve({ child, held: true, err }));
    child.on('close', () => resolve({ child, held: false, err }));
  });
}

const release = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('close', () => resolve());
    child.kill('SIGTERM');
  });

describe('ReadWarehouse', () => {
  let t: TempWarehouse;
  before(async () => {
    t = await tempWarehouse();
    await t.wh.exec(`CREATE TABLE nba_processing.answer AS SELECT 42 AS x`);
    await t.release();
  });
  after(() => t.cleanup());

  it('holds the file only while requests are in flight, one handle for concurrent ones', async () => {
    const reader = new ReadWarehouse(t.path);
    let inside!: () => void;
    const gate = new Promise<void>((resolve) => (inside = resolve));
    const handles = new Set<unknown>();
    const first = reader.use(async (wh) => {
      handles.add(wh);
      await gate;
      return wh.query<{ x: number }>('SELECT x FROM nba_processing.answer');
    });
    const second = reader.use(async (wh) => (handles.add(wh), wh.query<{ x: number }>('SELECT x + 1 AS x FROM nba_processing.answer')));
    assert.deepEqual(await second, [{ x: 43 }]);
    // The first request is still in flight: a writer in another process cannot start yet…
    const blocked = await holdWriter(t.path);
    assert.equal(blocked.held, false);
    assert.match(blocked.err, /Could not set lock|is busy: another process/);
    inside();
    assert.deepEqual(await first, [{ x: 42 }]);
    assert.equal(handles.size, 1);
    // …and as soon as it is answered, one can.
    const writer = await holdWriter(t.path);
    assert.equal(writer.held, true, writer.err);
    try {
      await assert.rejects(reader.use(async () => 'never'), (err: unknown) => err instanceof WarehouseBusyError && err.status === 503 && /is busy: another process/.test(err.message));
      const probe = await reader.probe();
      assert.equal(probe.ready, false);
      assert.equal(!probe.ready && probe.busy, true);
    } finally {
      await release(writer.child);
    }
    // Recovers by itself once the writer is gone.
    assert.deepEqual(await reader.probe(), { ready: true });
    assert.deepEqual(await reader.use((wh) => wh.query('SELECT x FROM nba_processing.answer')), [{ x: 42 }]);
  });

  it('keeps an answer until another process changes the file', async () => {
    const reader = new ReadWarehouse(t.path);
    let reads = 0;
    const answer = () => reader.cached('answer', async (wh) => ((reads += 1), (await wh.query<{ x: number }>('SELECT x FROM nba_processing.answer'))[0]?.x));
    assert.equal(await answer(), 42);
    assert.equal(await answer(), 42);
    assert.equal(reads, 1);
    const writer = await holdWriter(t.path, 'UPDATE nba_processing.answer SET x = 7');
    assert.equal(writer.held, true, writer.err);
    try {
      // Changed and still held by the writer: not the old answer, but busy.
      await assert.rejects(answer(), WarehouseBusyError);
    } finally {
      await release(writer.child);
    }
    assert.equal(await answer(), 7);
    assert.equal(await answer(), 7);
    assert.equal(reads, 2);
  });

  it('a missing file is unavailable (not busy), and is not created', async () => {
    const reader = new ReadWarehouse(`${t.path}.missing`);
    await assert.rejects(reader.use(async () => 1), (err: unknown) => err instanceof WarehouseUnavailableError && err.status === 503);
    assert.equal(existsSync(`${t.path}.missing`), false);
  });
});
