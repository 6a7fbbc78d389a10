// The include mechanism of processor SQL files: what an include line expands to, and the mistakes
// it refuses at import.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandIncludes, loadSqlSections, sharedFragments, splitSqlSections } from './sql-file.js';

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
  assert.deepEqual(Object.keys(shared).filter((k) => k !== 'header').sort(), ['player-last-games', 'player-targets', 'shortfall-causes', 'team-games-before']);
  assert.match(shared['player-last-games'] ?? '', /g\.game_date < t\.game_date/);
  assert.match(shared['team-games-before'] ?? '', /g\.game_date < k\.d/);
  assert.match(shared['shortfall-causes'] ?? '', /s\.game_date < k\.d/);
});

test('values a definition declares fill their placeholders; a non-integer or an unused one is refused', () => {
  const mlfsSql = new URL('./ml-feature-store/', import.meta.url).href;
  const filled = loadSqlSections(mlfsSql, 'ml-feature-store.sql', { history_seasons: 3 });
  assert.match(filled['candidates'] ?? '', /g\.season_year > t\.season_year - 3/);
  assert.throws(() => loadSqlSections(mlfsSql, 'ml-feature-store.sql', { history_seasons: 2.5 }), /history_seasons = 2.5 is not an integer/);
  assert.throws(() => loadSqlSections(mlfsSql, 'ml-feature-store.sql', { history_season: 3 }), /declared value history_season is never used/);
});
