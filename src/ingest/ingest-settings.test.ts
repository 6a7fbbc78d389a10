// The DuckDB settings the ingest unit changes for its own writes (parallel, unordered inserts; no
// FSST compression) are global to the database: after an ingest, finished or rolled back, they are
// back to their defaults, so nothing written later in the process is stored differently.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempWarehouse, type TempWarehouse } from '../testing/memory-warehouse.js';
import { smallSource, type SmallSource } from '../testing/small-source.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ingest } from './ingest.js';

let src: SmallSource;
let fx: TempWarehouse;

before(async () => {
  src = await smallSource();
  fx = await tempWarehouse();
});
after(async () => {
  await fx?.cleanup();
  src?.cleanup();
});

async function settings(wh: Warehouse): Promise<Record<string, string>> {
  const rows = await wh.query<{ name: string; value: string }>(
    `SELECT name, value FROM duckdb_settings() WHERE name IN ('preserve_insertion_order', 'disabled_compression_methods') ORDER BY name`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

const DEFAULTS = { disabled_compression_methods: '', preserve_insertion_order: 'true' };

/**
 * The warehouse with one statement of the ingest unit made to fail inside its transaction (a real
 * DuckDB error, which aborts the transaction): the player-game summary insert.
 */
function failingAt(wh: Warehouse, pattern: RegExp): Warehouse {
  const intercept = (target: Warehouse): Warehouse =>
    new Proxy(target, {
      get(t, key, receiver) {
        if (key === 'exec') {
          return async (sql: string, ...rest: unknown[]) => {
            if (pattern.test(sql)) await t.exec(`SELECT error('planted failure')`);
            return (t.exec as (...a: unknown[]) => Promise<void>)(sql, ...rest);
          };
        }
        if (key === 'transaction') {
          return <T>(work: (tx: Warehouse) => Promise<T>) => t.transaction((tx) => work(tx === t ? receiver : intercept(tx)));
        }
        const value = Reflect.get(t, key, t) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(receiver) : value;
      },
    });
  return intercept(wh);
}

describe('ingest leaves the DuckDB settings as it found them', () => {
  test('after an ingest that committed', async () => {
    assert.deepEqual(await settings(fx.wh), DEFAULTS);
    await ingest(fx.wh, { dataDir: src.good, seasons: ['2021-22'], runId: 'ok' });
    assert.deepEqual(await settings(fx.wh), DEFAULTS);
    const [n] = await fx.wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_raw.play_by_play`);
    assert.ok((n?.n ?? 0) > 0, 'the ingest wrote the play-by-play');
  });

  test('after an ingest whose unit failed and was rolled back', async () => {
    const [before] = await fx.wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_analytics.player_game_summary`);
    const err = await ingest(failingAt(fx.wh, /^\s*(--[^\n]*\n\s*)*INSERT INTO nba_analytics\.player_game_summary/), {
      dataDir: src.good,
      seasons: ['2021-22'],
      runId: 'failed',
    }).then(
      () => assert.fail('the planted failure should have failed the ingest'),
      (e: unknown) => e,
    );
    assert.match(String(err), /planted failure/);
    assert.deepEqual(await settings(fx.wh), DEFAULTS);
    const [afterwards] = await fx.wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_analytics.player_game_summary`);
    assert.equal(afterwards?.n, before?.n, 'rolled back');
  });
});
