// The predictions processor's differential fixture: the shared league (differential-fixture.ts) with
// the Phase 4 outputs, plus what only pred reads — sportsbook prop lines and the names that resolve
// them — and pred run on it, so that the model store holds a fitted refit (11-01) and two prior ones
// (10-18, 10-25: too few played games). What its prepare step sent is recorded with its parameters.
//
//   - ten (D2): an older snapshot (ignored), then three books; PointsBet prices the over only (not a book
//     of that line); his prop name is accented ('Tén'), which the lookup key strips; a snapshot after
//     tip-off (in play: ignored);
//   - laker (D1): one book; knick (D2): resolved through an alias ('Knicker Bocker');
//   - heat (D2): an under without an over (no line); an unresolved name; another prop; a NULL line.
import type { Row, SqlValue } from '../../warehouse/warehouse.js';
import { MODEL_STORE_TABLES } from '../../predictions/model-store.js';
import { TRAINING_ROWS_TABLES } from '../../predictions/training-rows.js';
import { mlFeatureStore } from '../ml-feature-store/definition.js';
import { playerPointsPredictions as pred } from '../player-points-predictions/definition.js';
import { D1, D2, FROM, TO, fixtureTables, leagueWarehouse, type ProcessorSqlFixture } from './differential-fixture.js';
import { insertRows } from './phase3-fixture.js';
import { RecordingWarehouse, type RecordedStatement } from './recording-warehouse.js';
import { batchParams, runBatch } from './run-batch.js';

/** Few enough played games that the refit of 11-01 is fitted, those of 10-18 and 10-25 are not. */
export const PRED_THRESHOLDS = { min_training_rows: 40 } as const;

export interface PredictionsSqlFixture extends ProcessorSqlFixture {
  /** What pred's prepare step sent on the league (into empty model store tables), in order. */
  readonly prepare: readonly RecordedStatement[];
  /** The model store and training rows tables, as the prepare step left them (also in `inputs`). */
  readonly modelStore: Readonly<Record<string, readonly Row[]>>;
}

const REGISTRY = [
  ['ten', 'Ten Points'], ['laker', 'Laker Man'], ['knick', 'Knick Man'], ['heat', 'Heat Man'],
] as const;

function propLine(player: string, date: string, snapshot: string, side: string, line: number | null, books: readonly (number | null)[], row: number, prop = 'player points ou'): Record<string, SqlValue> {
  const [draftkings, fanduel, pointsbet] = books;
  return {
    snapshot_utc: `${date} ${snapshot}`, source_commit: 'c', prop, game_date: date, tipoff_utc: `${date} 23:30:00`, player_name: player,
    team_abbr: null, opponent_team_abbr: null, home_team_abbr: null, away_team_abbr: null, side, line,
    draftkings: draftkings ?? null, fanduel: fanduel ?? null, pointsbet: pointsbet ?? null, source_file: 'fixture.csv', source_row: row, loaded_at: '2024-01-01 00:00:00',
  };
}

const PROP_LINES: readonly Record<string, SqlValue>[] = [
  propLine('Tén', D2, '12:00:00', 'over', 23.5, [-150, null, null], 1),
  propLine('Tén', D2, '12:00:00', 'under', 23.5, [120, null, null], 2),
  propLine('Tén', D2, '16:00:00', 'over', 24.5, [-120, -110, 105], 3),
  propLine('Tén', D2, '16:00:00', 'under', 24.5, [100, -110, null], 4),
  propLine('Tén', D2, '16:00:00', 'over', 9.5, [-110, null, null], 5, 'player rebounds ou'),
  propLine('La-Ker Man', D1, '15:00:00', 'over', 21.5, [-115, null, null], 6),
  propLine('La-Ker Man', D1, '15:00:00', 'under', 21.5, [-105, null, null], 7),
  propLine('Knicker Bocker', D2, '15:00:00', 'over', 16.5, [null, 110, null], 8),
  propLine('Knicker Bocker', D2, '15:00:00', 'under', 16.5, [null, -130, null], 9),
  propLine('Heat Man', D2, '15:00:00', 'under', 11.5, [-110, null, null], 10),
  propLine('Nobody Atall', D1, '15:00:00', 'over', 10.5, [-110, null, null], 11),
  propLine('Nobody Atall', D1, '15:00:00', 'under', 10.5, [-110, null, null], 12),
  propLine('Laker Man', D1, '15:00:00', 'over', null, [-110, null, null], 13),
  propLine('Tén', D2, '23:45:00', 'over', 30.5, [-110, -110, null], 14),
  propLine('Tén', D2, '23:45:00', 'under', 30.5, [-110, -110, null], 15),
];

export async function predictionsSqlFixture(): Promise<PredictionsSqlFixture> {
  const t = await leagueWarehouse();
  try {
    const ids = new Map((await t.wh.query<{ p: string; id: number }>(`SELECT DISTINCT player_lookup AS p, universal_player_id AS id FROM nba_analytics.player_game_summary`)).map((r) => [r.p, r.id]));
    const id = (p: string) => ids.get(p) as number;
    await insertRows(t.wh, 'nba_reference.nba_players_registry', REGISTRY.map(([p, name]) => ({ universal_player_id: id(p), player_lookup: p, player_name: name, name_source: 'fixture', processed_at: '2024-01-01 00:00:00' })));
    // player_lookup of 'Knicker Bocker' and 'La-Ker Man'
    await insertRows(t.wh, 'nba_reference.player_aliases', [
      { alias_lookup: 'knickerbocker', alias_name: 'Knicker Bocker', canonical_lookup: 'knick', universal_player_id: id('knick'), alias_source: 'betfinder', is_active: true, created_at: '2024-01-01 00:00:00' },
      { alias_lookup: 'lakerman', alias_name: 'La-Ker Man', canonical_lookup: 'laker', universal_player_id: id('laker'), alias_source: 'betfinder', is_active: true, created_at: '2024-01-01 00:00:00' },
    ]);
    await insertRows(t.wh, 'nba_raw.player_prop_lines', PROP_LINES);
    // the prepare step alone first (recorded), then the whole batch (its prepare finds the fits stored)
    const params = batchParams(pred, { from: FROM, to: TO, runId: 'differential', thresholds: PRED_THRESHOLDS });
    const recording = new RecordingWarehouse(t.wh);
    await recording.transaction((tx) => (pred.prepare as NonNullable<typeof pred.prepare>)(tx, params, {}));
    await runBatch(t.wh, pred, { from: FROM, to: TO, runId: 'differential', thresholds: PRED_THRESHOLDS });
    const tables = [...MODEL_STORE_TABLES, ...TRAINING_ROWS_TABLES];
    const fx = await fixtureTables(t, [...tables, mlFeatureStore.outputTable]);
    return { ...fx, prepare: recording.statements, modelStore: Object.fromEntries(tables.map((n) => [n, fx.inputs[n] ?? []])) };
  } finally {
    await t.cleanup();
  }
}
