// The TS Jaro-Winkler agrees with DuckDB's jaro_winkler_similarity (what the registry's suggestions
// used before they were scored outside SQL), on every pair of a sample of the bundled names.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { jaroWinkler } from './jaro-winkler.js';
import { parseNameSources } from './name-sources.js';
import { playerLookup } from './player-lookup.js';
import { DATA_DIR } from './registry-fixtures.js';

describe('jaroWinkler', () => {
  let wh: DuckDBWarehouse;
  before(async () => (wh = await DuckDBWarehouse.open(':memory:')));
  after(() => wh.close());

  it('gives DuckDB’s scores on 40,000 pairs of real lookups (and the edge cases)', async () => {
    const names = parseNameSources(DATA_DIR).rows.commonplayerinfo.map((r) => playerLookup(r.name));
    const left = [...names.slice(0, 190), 'kbirch', 'xaviertillmansr', 'abc', 'a', ''];
    const right = [...names.slice(200, 410), 'khembirch', 'xaviertillman', 'cba', 'a', 'ab'];
    const rows = await wh.query<{ a: string; b: string; s: number }>(
      `SELECT a, b, jaro_winkler_similarity(a, b) AS s FROM {{unnest_as($left, a)}} CROSS JOIN {{unnest_as($right, b)}}`,
      { left, right },
    );
    assert.ok(rows.length >= 40_000);
    const off = rows.filter((r) => Math.abs(jaroWinkler(r.a, r.b) - r.s) > 1e-12);
    assert.deepEqual(off.slice(0, 5), []);
  });
});
