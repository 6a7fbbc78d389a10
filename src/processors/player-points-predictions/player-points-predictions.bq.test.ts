// pred's SQL is BigQuery's too: every statement it sends — the batch (targets, features, compute,
// failures, staged candidates, audits, the script) and its prepare step (refit dates, input statistics,
// stored fingerprints, training rows, the model store's deletes and inserts) — analyzes on ZetaSQL, and on
// the shared league with prop lines (testing/predictions-fixture.ts) ZetaSQL's rows equal DuckDB's, FLOAT64
// to the last bit. The prepare step's statements are the ones it sent on DuckDB, with their parameters.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { firstKeyword } from '../../warehouse/statement-kind.js';
import { differential, differentialWrite } from '../../warehouse/bigquery/zetasql/differential.js';
import { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import { tablesOf } from '../../warehouse/bigquery/parse-ddl.js';
import type { Row } from '../../warehouse/warehouse.js';
import { D1, D2 } from '../testing/differential-fixture.js';
import { PRED_THRESHOLDS, predictionsSqlFixture, type PredictionsSqlFixture } from '../testing/predictions-fixture.js';
import { PROCESSOR_SQL_DDL } from '../testing/processor-sql-ddl.js';
import { proveProcessor, type ProcessorProof } from '../testing/prove-processor.js';
import { playerPointsPredictions as pred } from './definition.js';
import { predictionQueries } from './queries.js';
import { TRAINING_ROWS_TABLE } from '../../predictions/training-rows.js';

/** Input statistics with numbers and timestamps as values, not as each engine spells them; sorted. */
function spelledAlike(rows: readonly Row[]): Row[] {
  const number = (v: unknown) => (v === '' || v === null ? v : Number(v));
  const time = (v: unknown) => (typeof v === 'string' && v !== '' ? new Date(`${v.replace(' ', 'T').replace(/\+00$/, '')}Z`).toISOString() : v);
  return rows
    .map((r) => ({ ...r, a: number(r['a']), b: number(r['b']), t: time(r['t']) }))
    .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
}

/** The table a DELETE or INSERT writes (`schema.table`). */
const written = (sql: string): string => (/^\s*(?:DELETE\s+FROM|INSERT\s+INTO)\s+([a-z_]+\.[a-z_]+)/i.exec(sql)?.[1] ?? '');

describe('pred SQL: ZetaSQL (BigQuery) and DuckDB agree', () => {
  let zeta: ZetaSql;
  let fx: PredictionsSqlFixture;
  let proof: ProcessorProof;
  before(async () => {
    [zeta, fx] = await Promise.all([ZetaSql.start(), predictionsSqlFixture()]);
    proof = await proveProcessor(zeta, pred, fx, { thresholds: PRED_THRESHOLDS });
  });
  after(() => zeta?.stop());
  const row = (player: string, date: string): Row => {
    const r = proof.compute.find((x) => x['player_lookup'] === player && x['game_date'] === date);
    assert.ok(r, `no prediction for ${player} on ${date}`);
    return r;
  };
  const pick = (r: Row, ...columns: string[]) => columns.map((c) => r[c]);

  it('prop lines: the latest snapshot, the books pricing both sides, names resolved through accents and aliases', () => {
    // DraftKings -120/+100 (no-vig .5217), FanDuel -110/-110 (.5); PointsBet prices the over only
    assert.deepEqual(pick(row('ten', D2), 'points_line', 'line_books', 'price_book', 'over_price', 'under_price', 'implied_p_over'), [24.5, 2, 'draftkings', -120, 100, 0.5109]);
    // 'Knicker Bocker' (an alias): FanDuel +110/-130
    assert.deepEqual(pick(row('knick', D2), 'points_line', 'line_books', 'price_book', 'implied_p_over'), [16.5, 1, 'fanduel', 0.4573]);
    // 'La-Ker Man': DraftKings -115/-105
    assert.deepEqual(pick(row('laker', D1), 'points_line', 'line_books', 'implied_p_over'), [21.5, 1, 0.5108]);
    // an under without an over: no line
    assert.deepEqual(pick(row('heat', D2), 'points_line', 'p_over', 'edge'), [null, null, null]);
    const r = row('ten', D2);
    assert.equal(Math.round(((r['p_over'] as number) + (r['p_under'] as number)) * 1e4), 1e4);
    assert.equal(r['edge'], Math.round(((r['p_over'] as number) - (r['implied_p_over'] as number)) * 1e4) / 1e4);
  });

  it('each date reads the latest refit on or before it: prior (10-18, 10-25), fitted (11-01)', () => {
    assert.deepEqual(pick(row('ten', D1), 'refit_date', 'model_kind', 'training_window_end'), ['2021-11-01', 'fitted', '2021-10-31']);
    const early = proof.compute.find((x) => x['game_date'] === '2021-10-22');
    assert.ok(early);
    assert.deepEqual(pick(early, 'refit_date', 'model_kind'), ['2021-10-18', 'prior']);
    const q = ['points_q10', 'points_q25', 'points_q50', 'points_q75', 'points_q90'].map((c) => row('ten', D1)[c] as number);
    assert.deepEqual([...q].sort((a, b) => a - b), q);
    assert.equal(row('ten', D1)['predicted_points_median'], q[2]);
    // MLFS has ten's row of 11-03; the bootstrap fortnight has none
    assert.deepEqual([row('ten', D1)['has_feature_store_row'], early['has_feature_store_row']], [true, false]);
  });

  it("the prepare step's statements: reads give DuckDB's rows, writes write DuckDB's rows", async (t) => {
    const tables = [...tablesOf(PROCESSOR_SQL_DDL).values()];
    const emptied = (table: string) => ({ ...fx.inputs, [table]: [] });
    const kinds: string[] = [];
    for (const s of fx.prepare) {
      await zeta.analyze(s.sql, tables, s.params);
      const kind = firstKeyword(s.sql);
      kinds.push(`${kind} ${written(s.sql) || (/FROM\s+([a-z_]+\.[a-z_]+)/i.exec(s.sql)?.[1] ?? '')}`);
      if (s.kind === 'query') {
        const r = await differential(zeta, { ddl: PROCESSOR_SQL_DDL, fixtures: fx.inputs, sql: s.sql, params: s.params, floatTolerance: 0 });
        if (s.sql.includes("'games' AS source")) {
          // the input statistics only feed a hash (kept per warehouse): equal up to each engine's text of a
          // NUMERIC ('42.0000' / '42') and of a TIMESTAMP ('… 00:00:00' / '… 00:00:00+00')
          const [duck, bq] = [spelledAlike(r.duckdb), spelledAlike(r.zetasql)];
          assert.deepEqual(bq, duck);
          assert.deepEqual([...new Set(duck.map((x) => x['source']))].sort(), ['games', 'schedule', 'teams']);
          continue;
        }
        assert.equal(r.mismatch, undefined, `${kind}: ${r.mismatch}`);
        assert.ok(r.zetasql.length > 0, `${s.sql.slice(0, 80)} reads rows`);
        continue;
      }
      // a DELETE removes the stored rows; an INSERT writes into the emptied table what DuckDB wrote
      const table = written(s.sql);
      if (kind === 'INSERT' && table === TRAINING_ROWS_TABLE) {
        // This build's EvaluateModify loses a WITH inside the INSERT's subquery ("Missing name: targets",
        // an internal RET_CHECK; the statement analyzes): its SELECT is evaluated as a query instead.
        const source = s.sql.slice(s.sql.indexOf('SELECT $version'));
        const r = await differential(zeta, { ddl: PROCESSOR_SQL_DDL, fixtures: fx.inputs, sql: source, params: s.params, floatTolerance: 0 });
        assert.equal(r.mismatch, undefined, `training rows: ${r.mismatch}`);
        assert.equal(r.zetasql.length, fx.modelStore[table]?.length, `${table}: every stored row`);
        continue;
      }
      const w = await differentialWrite(zeta, { ddl: PROCESSOR_SQL_DDL, fixtures: kind === 'DELETE' ? fx.inputs : emptied(table), sql: s.sql, params: s.params });
      assert.equal(w.mismatch, undefined, w.mismatch);
      assert.ok(w.zetasql.length > 0, `${kind} ${table} writes rows`);
      if (kind === 'INSERT') assert.equal(w.zetasql.length, fx.modelStore[table]?.length, `${table}: every stored row`);
    }
    t.diagnostic(kinds.join(' | '));
    assert.equal(kinds.filter((k) => k.startsWith('INSERT')).length, 5);
  });

  it('the training rows of a date: the design matrix on both engines, in order', async () => {
    const r = await differential(zeta, { ddl: PROCESSOR_SQL_DDL, fixtures: fx.inputs, sql: predictionQueries().trainingSql, params: { from: '2021-10-19', to: D1 }, ordered: true, floatTolerance: 0 });
    assert.equal(r.mismatch, undefined, r.mismatch);
    const ten = r.zetasql.find((x) => x['player_lookup'] === 'ten' && x['game_date'] === D1);
    assert.ok(ten);
    // ten's 11-03: 40 points after 10 games (10, 12, ... 28), his last three 24, 26, 28
    assert.deepEqual(pick(ten, 'points', 'k', 'pts_l3', 'pts_l10', 'few_games'), [40, 10, 26, 19, 0]);
  });

  it('covers every statement of a pred batch (listed in the diagnostics)', (t) => {
    t.diagnostic(`${proof.covered.length} statements: ${proof.covered.join(' | ')}`);
    assert.ok(proof.covered.length >= 14);
  });
});
