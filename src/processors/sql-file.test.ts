// The include mechanism of processor SQL files: what an include line expands to, and the mistakes
// it refuses at import.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { PROCESSORS } from './index.js';
import { playerShotZoneAnalysis } from './player-shot-zone-analysis/definition.js';
import { expandIncludes, loadSqlSections, processorQueries, sharedFragments, splitSqlSections, withQueries } from './sql-file.js';

const FRAGMENTS = splitSqlSections(
  [
    '-- fragment: last',
    'picked AS (',
    '  SELECT g.*,',
    '         sum(g.{{col}}) OVER w AS cum_{{col}},  -- for each col in cols',
    '         row_number() OVER w AS seq',
    '  FROM t g WHERE seq <= {{n}}',
    ')',
  ].join('\n'),
  'fragment',
);

test('an include after a CTE expands to ", " and the fragment, with integers and repeated lines filled in', () => {
  const out = expandIncludes('WITH a AS (SELECT 1)\n-- include: last(n=3, cols=points minutes)\nSELECT 1', FRAGMENTS);
  assert.equal(
    out,
    [
      'WITH a AS (SELECT 1)',
      ', picked AS (',
      '  SELECT g.*,',
      '         sum(g.points) OVER w AS cum_points,',
      '         sum(g.minutes) OVER w AS cum_minutes,',
      '         row_number() OVER w AS seq',
      '  FROM t g WHERE seq <= 3',
      ')',
      'SELECT 1',
    ].join('\n'),
  );
});

test('an include right after WITH opens the CTE list (no comma); a list not given repeats no line', () => {
  const out = expandIncludes('WITH\n-- include: last(n=1)\nSELECT 1', FRAGMENTS);
  assert.equal(out.split('\n')[1], 'picked AS (');
  assert.ok(!out.includes('cum_'));
});

test('unknown fragments, unknown or malformed parameters and unfilled placeholders are refused', () => {
  assert.throws(() => expandIncludes('-- include: nope(n=1)', FRAGMENTS), /unknown fragment 'nope'/);
  assert.throws(() => expandIncludes('-- include: last(n=1, colz=points)', FRAGMENTS), /unknown parameter\(s\) colz/);
  assert.throws(() => expandIncludes('-- include: last', FRAGMENTS), /parameter 'n' not given/);
  // only integers and column names: never a value or an expression
  assert.throws(() => expandIncludes("-- include: last(n='2021-11-01')", FRAGMENTS), /bad parameter/);
  assert.throws(() => expandIncludes('-- include: last(n=1; DROP TABLE x)', FRAGMENTS), /bad parameter/);
});

test('the shared fragments exist and keep the as-of rule (games strictly before D) in them', () => {
  const shared = sharedFragments();
  assert.deepEqual(Object.keys(shared).filter((k) => k !== 'header').sort(), ['games-before', 'player-games', 'player-targets', 'shortfall-causes', 'team-games']);
  // a key sorts before the games of its own date, so the running count at the key counts games before D only
  assert.match(shared['games-before'] ?? '', /ORDER BY u\.game_date, u\.is_key DESC ROWS UNBOUNDED PRECEDING/);
  assert.match(shared['shortfall-causes'] ?? '', /ORDER BY u\.game_date, u\.is_key DESC, u\.game_id ROWS UNBOUNDED PRECEDING/);
  assert.match(shared['shortfall-causes'] ?? '', /m\.game_date < k\.game_date/);
});

test('games-before: k counts the games strictly before D (a game on D is not read), 0 without any', async () => {
  const sql = expandIncludes(
    [
      'WITH keys AS (SELECT * FROM (VALUES (\'ann\', 2021, DATE \'2021-11-03\'), (\'ann\', 2021, DATE \'2021-11-05\'), (\'bob\', 2021, DATE \'2021-11-03\')) AS k(player_lookup, season_year, d)),',
      'games AS (SELECT * FROM (VALUES (\'ann\', 2021, DATE \'2021-11-01\', 1), (\'ann\', 2021, DATE \'2021-11-03\', 2), (\'ann\', 2020, DATE \'2021-01-03\', 1)) AS g(player_lookup, season_year, game_date, seq))',
      '-- include: games-before(entity=player_lookup, keys=keys, at=d, rows=games, out=counted)',
      'SELECT player_lookup, CAST(d AS VARCHAR) AS d, k FROM counted ORDER BY player_lookup, d',
    ].join('\n'),
    sharedFragments(),
  );
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    assert.deepEqual(await wh.query(sql), [
      { player_lookup: 'ann', d: '2021-11-03', k: 1 }, // the game of 11-03 itself is not before 11-03
      { player_lookup: 'ann', d: '2021-11-05', k: 2 },
      { player_lookup: 'bob', d: '2021-11-03', k: 0 },
    ]);
  } finally {
    await wh.close();
  }
});

test('values a definition declares fill their placeholders; a non-integer or an unused one is refused', () => {
  const mlfsSql = new URL('./ml-feature-store/', import.meta.url).href;
  const filled = loadSqlSections(mlfsSql, 'ml-feature-store.sql', { history_seasons: 3 });
  assert.match(filled['candidates'] ?? '', /g\.season_year > t\.season_year - 3/);
  assert.throws(() => loadSqlSections(mlfsSql, 'ml-feature-store.sql', { history_seasons: 2.5 }), /history_seasons = 2.5 is not an integer/);
  assert.throws(() => loadSqlSections(mlfsSql, 'ml-feature-store.sql', { history_season: 3 }), /declared value history_season is never used/);
});

test('withQueries: a definition reads its queries on first use, once, and a broken .sql file fails there with its name', () => {
  let loads = 0;
  const def = withQueries({ ...playerShotZoneAnalysis }, () => {
    loads++;
    return processorQueries(new URL('./player-shot-zone-analysis/definition.ts', import.meta.url).href, 'player-shot-zone-analysis.sql');
  });
  assert.equal(loads, 0, 'nothing read when the definition is made');
  assert.match(def.computeSql, /SELECT/);
  assert.equal(def.staged?.computeSql, playerShotZoneAnalysis.staged?.computeSql);
  assert.equal(def.failuresSql, playerShotZoneAnalysis.failuresSql);
  assert.equal(loads, 1, 'read once for all three');
  const broken = withQueries({ ...playerShotZoneAnalysis }, () => processorQueries(import.meta.url, 'no-such-file.sql'));
  assert.throws(() => broken.computeSql, /no-such-file\.sql/);
});

test('every processor of the registry has its queries (each .sql file loads and composes)', () => {
  for (const p of PROCESSORS) {
    assert.match(p.computeSql, /SELECT/i, p.key);
    assert.match(p.failuresSql, /SELECT/i, p.key);
    assert.equal(p.computeSql, p.computeSql, `${p.key}: the same text on every read`);
  }
});
