// The one query that checks a staged play-by-play's rows (checkRows: typed values, required columns,
// team codes, season, dates) passes BigQuery's analyzer (ZetaSQL) and finds the same first offending
// row per check as DuckDB: on a clean file (no row at all) and on one where every check fails somewhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CaptureWarehouse } from '../../engine/testing/capture-warehouse.js';
import { differential } from '../../warehouse/bigquery/zetasql/differential.js';
import { ZetaSql } from '../../warehouse/bigquery/zetasql/zetasql-server.js';
import type { Row } from '../../warehouse/warehouse.js';
import { STAGED_ROWS, STAGING_DDL, stagedFixtures } from '../testing/ingest-sql-fixtures.js';
import { validateStagedPlayByPlay } from './load-play-by-play.js';
import { rangeChecks, valueChecks } from './stage.js';

const TABLE = 'nba_staging.stg_pbp_2021';
const good = STAGED_ROWS[TABLE] ?? assert.fail('no staged play-by-play fixture');

/** The check query as validateStagedPlayByPlay sends it (the first statement: the games check follows). */
async function checkQuery(): Promise<{ sql: string; params: Record<string, unknown> }> {
  const capture = new CaptureWarehouse('bigquery');
  await validateStagedPlayByPlay(capture, stagedFixtures().pbp2021, { season: '2021-22', seasonYear: 2021 });
  const first = capture.statements[0] ?? assert.fail('no statement');
  assert.match(first.sql, /CROSS JOIN/);
  return { sql: first.sql, params: { ...first.params } };
}

/** Every check refused somewhere: each row breaks one column (and blank or missing values the NULL paths). */
const BAD: Readonly<Record<number, Row>> = {
  1: { clock: 'PT1M' },
  2: { team: 'XXX', teamId: '  ' },
  3: { season_year: '2030' },
  4: { date: '20990101', opp_team: null },
  5: { period: '', players_on: '1||2' },
  6: { isFieldGoal: 'yes', person_id: '12a' },
  7: { game_id: null, opp_team: 'ZZZ' },
  8: { date: '2021-10-19', actionNumber: ' ' },
  9: { season_year: 'x', scoreHome: '1x', assisted: null },
  // Texts an engine's integer cast reads though they are not decimal digits (DuckDB's: '1.5' as 2,
  // '1e3', '1_000', '7.'; both engines': '0x1F' as 31): the checks refuse all five on both.
  10: { scoreAway: '1.5', stealPersonId: '1e3' },
  11: { blockPersonId: '0x1F', foulDrawnPersonId: '1_000' },
  12: { assister_id: '7.' },
  // Decimal text the checks accept, blanks round it, a sign: both engines' casts read these.
  13: { person_id: ' 1629027 ', scoreHome: '+3' },
};

describe('staged play-by-play checks: ZetaSQL (BigQuery) and DuckDB agree', () => {
  let zeta: ZetaSql;
  before(async () => {
    zeta = await ZetaSql.start();
  });
  after(() => zeta?.stop());

  it('a clean file: no offending row for any check', async () => {
    const { sql, params } = await checkQuery();
    const r = await differential(zeta, { ddl: STAGING_DDL, fixtures: { [TABLE]: good }, sql, params: params as never });
    assert.equal(r.mismatch, undefined, r.mismatch);
    assert.equal(r.duckdb.length, 1);
    assert.deepEqual(Object.values(r.duckdb[0] ?? {}).filter((v) => v !== null), []);
  });

  it('every check failing: the same first row per check on both engines', async () => {
    const { sql, params } = await checkQuery();
    const rows = good.map((row, i) => ({ ...row, ...(BAD[i] ?? {}) }));
    const r = await differential(zeta, { ddl: STAGING_DDL, fixtures: { [TABLE]: rows }, sql, params: params as never });
    assert.equal(r.mismatch, undefined, r.mismatch);
    const found = r.duckdb[0] ?? assert.fail('no row');
    // cG_J: check J of group G (0: values — required columns, then typed ones; 1, 2: team codes; 3: season; 4: dates).
    // Blank or NULL values are refused only where required (teamId '  ', assisted and opp_team NULL pass).
    const refused = Object.fromEntries(Object.entries(found).filter(([, v]) => v !== null));
    assert.deepEqual(refused, {
      c0_0: 7, c0_4: 5, c0_6: 8, c0_8: 8, c0_9: 9, c0_12: 1, c0_14: 6, c0_15: 9, c0_16: 10, c0_17: 6, c0_19: 12, c0_20: 11, c0_21: 10,
      c0_22: 11, c0_23: 5, c1_0: 2, c2_0: 7, c3_0: 3, c4_0: 4,
    });
  });
});

describe('integer, number, timestamp and range checks of texts: both engines accept and refuse the same', () => {
  let zeta: ZetaSql;
  before(async () => {
    zeta = await ZetaSql.start();
  });
  after(() => zeta?.stop());

  /** `SELECT v, <columns> FROM texts ORDER BY i` on both engines, which must agree; DuckDB's rows. */
  async function onBothEngines(texts: readonly string[], columns: string, params: Record<string, number> = {}): Promise<Row[]> {
    const r = await differential(zeta, {
      ddl: 'CREATE SCHEMA IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.texts (v VARCHAR, i BIGINT);',
      fixtures: { 't.texts': texts.map((v, i) => ({ v, i })) },
      sql: `SELECT v, ${columns} FROM t.texts ORDER BY i`,
      params,
      ordered: true,
    });
    assert.equal(r.mismatch, undefined, r.mismatch);
    return r.duckdb;
  }
  const refusedBy = async (texts: readonly string[], predicate: string, params: Record<string, number> = {}) =>
    (await onBothEngines(texts, `${predicate} AS refused`, params)).filter((row) => row.refused).map((row) => row.v);

  const TEXTS = ['7', ' 7 ', '+7', '-7', '007', '9223372036854775808', '1.5', '7.', '.5', '1e3', '1E-2', '0x1F', '1_000', '1,000', '½', 'NaN', 'inf', '-Infinity', 'x', '1 2'];
  const [integer, number, timestamp] = valueChecks({ v: 'integer', w: 'number', x: 'timestamp' }).map((c) => c.predicate('v'));

  it('refused as integers: anything but optionally signed digits, or beyond INT64', async () => {
    assert.deepEqual(await refusedBy(TEXTS, integer!), TEXTS.filter((v) => !/^ *[-+]?[0-9]+ *$/.test(v) || v === '9223372036854775808'));
  });

  it('refused as numbers: anything but decimal text (an exponent allowed), NaN or an infinity', async () => {
    assert.deepEqual(await refusedBy(TEXTS, number!), ['0x1F', '1_000', '1,000', '½', 'x', '1 2']);
  });

  // Accepted: the first nine, the same instants on both engines (DuckDB's cast drops an offset other
  // than UTC's, BigQuery's applies it: those are refused).
  const TIMESTAMPS = [
    '2021-10-19 19:30:00', '2021-10-19T19:30:00', '2021-10-19 19:30:00+00', '2021-10-19 19:30:00+00:00', '2021-10-19T19:30:00Z',
    '2021-10-19T19:30:00.123456Z', '2021-10-19', '2021-1-9 7:30:00', '2021-10-19 19:30:00 UTC',
    '2021-10-19 19:30:00+05:30', '2021-10-19 19:30:00-08', '2021-10-19 19:30', '2021-10-19 24:00:00', ' 2021-10-19 19:30:00',
    '2021-10-19 19:30:60', '2021-10-19 19:30:00.1234567', '2021-10-19t19:30:00z', '2021-10-19 19:30:00 utc', '2021-10-19Z',
    '2021-02-30 10:00:00', '10/19/2021 19:30', '2021-10-19 07:30:00 PM', '2021-10-19 19:30:00 America/New_York',
  ];

  it('timestamps: a UTC date and time of day to the second, read as the same instant; anything else refused', async () => {
    const rows = await onBothEngines(TIMESTAMPS, `CASE WHEN ${timestamp} THEN NULL ELSE CAST(v AS TIMESTAMP) END AS instant`);
    assert.deepEqual(rows.filter((row) => row.instant !== null).map((row) => row.v), TIMESTAMPS.slice(0, 9));
  });

  it('out of range: beyond the bounds, NaN, infinities and values too large for NUMERIC(18, 9) alike', async () => {
    const texts = ['-7', '0', '230.5', '2.305e2', ' 400 ', '400.000000001', '-0.5', '1e9', '999999999.9999999999', '-1e300', 'NaN', 'inf', '', 'x'];
    const plain = rangeChecks({ v: { min: 0, max: 400 } });
    assert.deepEqual(await refusedBy(texts, plain.checks[0]!.predicate('v'), plain.params), ['-7', '400.000000001', '-0.5', '1e9', '999999999.9999999999', '-1e300', 'NaN', 'inf', 'x']);
    const abs = rangeChecks({ v: { min: 1, max: 50, abs: true } });
    assert.deepEqual(await refusedBy(texts, abs.checks[0]!.predicate('v'), abs.params), ['0', '230.5', '2.305e2', ' 400 ', '400.000000001', '-0.5', '1e9', '999999999.9999999999', '-1e300', 'NaN', 'inf', 'x']);
  });
});
