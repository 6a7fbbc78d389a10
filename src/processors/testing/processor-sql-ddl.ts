// The tables the processors' SQL reads and writes, as one DDL text for the differential tests
// (*.bq.test.ts): the Phase 3 tables, the schedule and the prop lines from the ingest DDL, the engine's
// bookkeeping tables, the output tables (with the model store), and the three reference views as tables
// (a ZetaSQL catalog holds tables; their rows are what the product's views give, see differential-fixture.ts).
import { ENGINE_DDL } from '../../engine/schema.js';
import { INGEST_DDL, PHASE3_TABLES } from '../../ingest/schema.js';
import { parseDdl } from '../../warehouse/bigquery/parse-ddl.js';
import { PROCESSOR_DDL } from '../schema.js';

/** The Phase 3, reference and raw tables a processor reads. */
export const READ_TABLES = [
  ...PHASE3_TABLES,
  'nba_raw.player_prop_lines',
  // what the name resolution view reads: DuckDB binds pred's CREATE VIEW IF NOT EXISTS before it sees
  // the table of that name (below), so these must exist; the view's rows are the fixture's
  'nba_reference.nba_players_registry',
  'nba_reference.player_aliases',
] as const;

/** The views the processors read: in the differential tests, tables with the columns the views give. */
export const VIEW_TABLES = ['nba_reference.game_dates', 'nba_reference.team_games', 'nba_reference.player_name_resolution'] as const;

/** The views the processors read, as tables with the columns the views give. */
export const VIEW_TABLES_DDL = `
CREATE TABLE IF NOT EXISTS nba_reference.game_dates (
  game_date DATE NOT NULL, season_year INTEGER NOT NULL, games BIGINT NOT NULL, season_opener DATE NOT NULL,
  days_since_opener BIGINT NOT NULL, is_bootstrap BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS nba_reference.team_games (
  game_id VARCHAR NOT NULL, game_date DATE NOT NULL, season_year INTEGER NOT NULL, team_abbr VARCHAR NOT NULL,
  opponent_team_abbr VARCHAR NOT NULL, home_game BOOLEAN NOT NULL, team_game_no BIGINT NOT NULL, days_rest BIGINT
);
-- before pred's DDL, whose CREATE VIEW IF NOT EXISTS then leaves this table alone
CREATE TABLE IF NOT EXISTS nba_reference.player_name_resolution (
  name_lookup VARCHAR, universal_player_id BIGINT, canonical_lookup VARCHAR, player_name VARCHAR, resolved_via VARCHAR
);`;

function ingestTables(): string {
  return parseDdl(INGEST_DDL)
    .flatMap((s) => (s.kind === 'schema' ? [s.sql] : s.kind === 'table' && (READ_TABLES as readonly string[]).includes(`${s.table.schema}.${s.table.name}`) ? [s.sql] : []))
    .join(';\n');
}

export const PROCESSOR_SQL_DDL = [ENGINE_DDL, `${ingestTables()};`, VIEW_TABLES_DDL, PROCESSOR_DDL].join('\n');
