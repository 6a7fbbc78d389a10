// One contract suite, run against every dialect: DuckDB on a temporary file and BigQuery through the
// official client against the fake REST server (which executes on DuckDB). Same calls, same rows.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BigQueryWarehouse } from './bigquery/bigquery-warehouse.js';
import { FakeBigQuery } from './bigquery/testing/fake-bigquery-server.js';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Warehouse } from './warehouse.js';

const DDL = `
CREATE SCHEMA IF NOT EXISTS contract;
CREATE TABLE IF NOT EXISTS contract.scores (
  player_lookup VARCHAR NOT NULL,
  game_date DATE NOT NULL,
  points INTEGER,
  minutes DOUBLE,
  PRIMARY KEY (player_lookup, game_date)
);`;

interface Dialect {
  readonly name: string;
  /** `readOnly()` gives the same warehouse opened for reading (ad-hoc SQL runs only there); call it last. */
  open(): Promise<{ wh: Warehouse; readOnly(): Promise<Warehouse>; close(): Promise<void> }>;
}

const dialects: Dialect[] = [
  {
    name: 'duckdb',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'contract-'));
      const path = join(dir, 'c.duckdb');
      let current: Warehouse = await DuckDBWarehouse.open(path);
      return {
        wh: current,
        // One process cannot hold a DuckDB file for writing and reading at once: the writer closes.
        async readOnly() {
          await current.close();
          current = await DuckDBWarehouse.open(path, { readOnly: true });
          return current;
        },
        close: async () => { await current.close(); rmSync(dir, { recursive: true, force: true }); },
      };
    },
  },
  {
    name: 'bigquery (fake REST server)',
    async open() {
      const fake = await FakeBigQuery.start({ datasetPrefix: 'ct_' });
      const wh = BigQueryWarehouse.open({ projectId: 'courtside-test', datasetPrefix: 'ct_', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2 });
      wh.names.add('contract');
      const readOnly = async () => {
        const ro = BigQueryWarehouse.open({ projectId: 'courtside-test', datasetPrefix: 'ct_', apiEndpoint: fake.url, pricePerTiBUsd: 6.25, pollMs: 2, readOnly: true });
        ro.names.add('contract');
        return ro;
      };
      return { wh, readOnly, close: () => fake.stop() };
    },
  },
];

for (const dialect of dialects) {
  describe(`Warehouse contract: ${dialect.name}`, () => {
    let wh: Warehouse;
    let close: () => Promise<void>;
    let readOnly: () => Promise<Warehouse>;
    const dir = mkdtempSync(join(tmpdir(), 'contract-files-'));
    before(async () => {
      ({ wh, close, readOnly } = await dialect.open());
      await wh.applyDdl(DDL, { 'contract.scores': { partitionBy: 'game_date', clusterBy: ['player_lookup'] } });
    });
    after(async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('load() appends a CSV file (header, columns in table order; empty = NULL)', async () => {
      const file = join(dir, 'scores.csv');
      writeFileSync(file, 'player_lookup,game_date,points,minutes\nann,2021-10-20,20,31.5\nbob,2021-10-20,,12\nann,2021-10-22,31,35.25\n');
      assert.deepEqual(await wh.load('contract.scores', file, 'csv'), { rows: 3 });
      const rows = await wh.query('SELECT player_lookup, game_date, points, minutes FROM contract.scores ORDER BY game_date, player_lookup');
      assert.deepEqual(rows, [
        { player_lookup: 'ann', game_date: '2021-10-20', points: 20, minutes: 31.5 },
        { player_lookup: 'bob', game_date: '2021-10-20', points: null, minutes: 12 },
        { player_lookup: 'ann', game_date: '2021-10-22', points: 31, minutes: 35.25 },
      ]);
    });

    it('query() binds $params and returns plain values', async () => {
      const rows = await wh.query(
        `SELECT player_lookup, sum(points) AS pts, count(*) AS games, CAST($from AS DATE) AS since
FROM contract.scores WHERE game_date >= CAST($from AS DATE) AND player_lookup = $who GROUP BY player_lookup`,
        { from: '2021-10-01', who: 'ann' },
      );
      assert.deepEqual(rows, [{ player_lookup: 'ann', pts: 51, games: 2, since: '2021-10-01' }]);
    });

    it('script() is atomic, allows temp tables and returns the final query rows', async () => {
      const rows = await wh.script(
        [
          `CREATE TEMP TABLE staged AS SELECT player_lookup, game_date, points + 1 AS points, minutes FROM contract.scores WHERE game_date = CAST($d AS DATE)`,
          `DELETE FROM contract.scores WHERE game_date = CAST($d AS DATE)`,
          `INSERT INTO contract.scores (player_lookup, game_date, points, minutes) SELECT player_lookup, game_date, points, minutes FROM staged`,
          `SELECT player_lookup, points FROM contract.scores WHERE game_date = CAST($d AS DATE) ORDER BY player_lookup`,
        ],
        { d: '2021-10-22' },
      );
      assert.deepEqual(rows, [{ player_lookup: 'ann', points: 32 }]);
    });

    it('script() that fails half-way leaves nothing behind', async () => {
      await assert.rejects(
        wh.script([
          `DELETE FROM contract.scores WHERE player_lookup = $who`,
          `INSERT INTO contract.scores (player_lookup, game_date, points, minutes) SELECT 'x', CAST('not a date' AS DATE), 1, 1.0`,
        ], { who: 'ann' }),
      );
      const [row] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM contract.scores WHERE player_lookup = 'ann'`);
      assert.equal(row?.n, 2);
    });

    it('script() refuses a query before the last statement', async () => {
      await assert.rejects(wh.script(['SELECT 1', 'DELETE FROM contract.scores WHERE false']), /only the last statement may return rows/);
    });

    it('transaction() commits together or not at all', async () => {
      await assert.rejects(
        wh.transaction(async (tx) => {
          await tx.exec(`DELETE FROM contract.scores WHERE player_lookup = 'bob'`);
          throw new Error('boom');
        }),
        /boom/,
      );
      const [kept] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM contract.scores WHERE player_lookup = 'bob'`);
      assert.equal(kept?.n, 1);
      await wh.transaction(async (tx) => {
        await tx.exec(`UPDATE contract.scores SET points = 0 WHERE player_lookup = $who`, { who: 'bob' });
      });
      const [bob] = await wh.query<{ points: number }>(`SELECT points FROM contract.scores WHERE player_lookup = 'bob'`);
      assert.equal(bob?.points, 0);
    });

    it('dryRun() validates without running', async () => {
      const r = await wh.dryRun(`DELETE FROM contract.scores WHERE game_date < CAST($d AS DATE)`, { d: '2030-01-01' });
      assert.match(r.statementType, /DELETE/);
      const [row] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM contract.scores`);
      assert.equal(row?.n, 3);
    });

    it('readOnlyQuery() on the warehouse opened for reading runs a SELECT and refuses a write (last: it reopens)', async () => {
      const ro = await readOnly();
      assert.deepEqual(await ro.readOnlyQuery(`SELECT count(DISTINCT game_date) AS dates FROM contract.scores`), [{ dates: 2 }]);
      await assert.rejects(ro.readOnlyQuery(`DELETE FROM contract.scores`), /read-only/);
    });
  });
}
