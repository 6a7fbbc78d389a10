// The fixture cache: built once however many processes ask at the same time, never seen half-built,
// touched on use, and fixtures unused for days removed by the next build (the folder used to grow
// by a fixture per code change, to 29 GB).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { cachedFixture } from './fixture-cache.js';

const DAY = 86_400_000;

describe('cachedFixture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fixture-cache-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds once for concurrent callers, who all get the finished file', async () => {
    let builds = 0;
    const build = async (path: string) => {
      builds++;
      writeFileSync(path, 'half');
      await sleep(300);
      writeFileSync(path, 'whole');
    };
    const paths = await Promise.all([1, 2, 3].map(() => cachedFixture('a.duckdb', build, dir)));
    assert.equal(builds, 1);
    assert.deepEqual(new Set(paths), new Set([join(dir, 'a.duckdb')]));
    assert.equal(readFileSync(join(dir, 'a.duckdb'), 'utf8'), 'whole');
    assert.equal(existsSync(join(dir, 'a.duckdb.lock')), false);
    assert.equal(existsSync(join(dir, 'a.duckdb.building')), false);
  });

  it('a failed build leaves no fixture and no lock; the next caller builds', async () => {
    await assert.rejects(cachedFixture('b.duckdb', async () => { throw new Error('ingest failed'); }, dir), /ingest failed/);
    assert.equal(existsSync(join(dir, 'b.duckdb')), false);
    assert.equal(existsSync(join(dir, 'b.duckdb.lock')), false);
    await cachedFixture('b.duckdb', async (path) => writeFileSync(path, 'ok'), dir);
    assert.equal(readFileSync(join(dir, 'b.duckdb'), 'utf8'), 'ok');
  });

  it('a use touches the fixture; a new build removes fixtures unused for 3 days, nothing else', async () => {
    const old = new Date(Date.now() - 4 * DAY);
    const recent = new Date(Date.now() - 2 * DAY);
    const file = (name: string, when: Date) => {
      writeFileSync(join(dir, name), name);
      utimesSync(join(dir, name), when, when);
    };
    file('stale.duckdb', old);
    file('stale.duckdb.wal', old);
    file('recent.duckdb', recent);
    file('used.duckdb', old);
    file('notes.txt', old);
    mkdirSync(join(dir, 'other.duckdb.lock'));
    utimesSync(join(dir, 'other.duckdb.lock'), old, old);

    await cachedFixture('used.duckdb', async () => assert.fail('exists: not rebuilt'), dir);
    assert.ok(Date.now() - statSync(join(dir, 'used.duckdb')).mtimeMs < DAY, 'touched on use');
    assert.ok(existsSync(join(dir, 'stale.duckdb')), 'a use prunes nothing');

    await cachedFixture('new.duckdb', async (path) => writeFileSync(path, 'new'), dir);
    assert.equal(existsSync(join(dir, 'stale.duckdb')), false);
    assert.equal(existsSync(join(dir, 'stale.duckdb.wal')), false);
    for (const kept of ['recent.duckdb', 'used.duckdb', 'new.duckdb', 'notes.txt', 'other.duckdb.lock']) assert.ok(existsSync(join(dir, kept)), kept);
  });
});
