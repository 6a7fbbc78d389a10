// A query timeout that expires before DuckDB has started the statement (while it prepares a
// parameterised one) still cancels it: `--timeout-seconds 0.005` is a limit like any other.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { QueryTimeoutError } from '../../core/errors.js';
import { DuckDBWarehouse } from './duckdb-warehouse.js';

// Work enough to outlast any timer (seconds when nothing stops it), behind a prepare step (a bound
// parameter) and a plan of a few dozen joins, so that a 1 ms timer fires before execution begins.
const CTES = Array.from({ length: 30 }, (_, i) => `c${i} AS (SELECT x, x % ${i + 2} AS k${i} FROM base)`).join(',\n');
const JOINS = Array.from({ length: 30 }, (_, i) => `JOIN c${i} USING (x)`).join(' ');
const SLOW = `WITH base AS (SELECT range AS x FROM range(CAST($n AS BIGINT))), ${CTES} SELECT count(*) AS n FROM base ${JOINS}`;

let wh: DuckDBWarehouse;
before(async () => {
  wh = await DuckDBWarehouse.open(':memory:', { threads: 2 });
});
after(async () => wh?.close());

describe('DuckDB query timeouts', () => {
  test('a 1 ms timeout cancels a parameterised query that is still being prepared when it expires', async () => {
    await assert.rejects(wh.query(SLOW, { n: 1_000_000 }, { timeoutMs: 1 }), QueryTimeoutError);
    await assert.rejects(wh.exec(`CREATE TEMP TABLE t AS ${SLOW}`, { n: 1_000_000 }, { timeoutMs: 1 }), QueryTimeoutError);
    await assert.rejects(wh.script([`CREATE TEMP TABLE u AS ${SLOW}`], { n: 1_000_000 }, { timeoutMs: 1 }), QueryTimeoutError);
  });

  test('the connection is usable afterwards, and a statement that ends in time is not cancelled', async () => {
    assert.deepEqual(await wh.query('SELECT CAST($n AS INTEGER) + 1 AS m', { n: 41 }, { timeoutMs: 60_000 }), [{ m: 42 }]);
    assert.deepEqual(await wh.query(SLOW, { n: 100 }, { timeoutMs: 60_000 }), [{ n: 100 }]);
  });
});
