// What a Phase 4 processor declares. The engine reads only this: one SQL per processor, computed
// for a whole batch of dates ($from..$to, bound parameters), plus its failures and audits.
import type { QueryOptions, SqlParams, Warehouse } from '../warehouse/warehouse.js';
import type { StagedQueries } from './sql-file.js';

export type ProcessorKey = 'psza' | 'tdza' | 'pdc' | 'pcf' | 'mlfs' | 'pred';

/** An upstream table this processor reads, checked once per run for each partition date. */
export interface Dependency {
  /** Phase 3 table or another processor's key. */
  readonly source: { readonly table: string; readonly dateColumn: string } | { readonly processor: ProcessorKey };
  /**
   * How the check looks at the upstream: `date_match` counts rows dated D (pre-game context,
   * other Phase 4 outputs); `lookback` counts rows in the `lookbackDays` before D (game history).
   */
  readonly check: 'date_match' | 'lookback';
  readonly lookbackDays?: number;
  readonly minRows: number;
  /** Columns that must be non-NULL in at least `minNonNullRatio` of the rows counted. */
  readonly criticalColumns: readonly string[];
  readonly minNonNullRatio: number;
  readonly critical: boolean;
  /** Freshness limit on processed_at (not checked in backfill mode). */
  readonly maxAgeHours?: number;
}

/**
 * How far back a row dated D may read game history: the games strictly before D of D's season and of
 * the `seasons - 1` seasons before it. Without a declaration a processor reads D's season only. A
 * processor that reads earlier seasons declares it, with the reason; its SQL takes the bound from the
 * declaration and the as-of audit holds every row to it (source_first_game_date no earlier than the
 * window's first game, source_last_game_date before D).
 */
export interface HistoryWindow {
  readonly seasons: number;
  readonly reason: string;
}

/**
 * The rows of an upstream that a partition dated D may read, for its upstream fingerprint only (never
 * a check, never a problem): `seasons` = the rows of D's season and the `seasons - 1` before it (by the
 * upstream's season_year) dated before D; `days` = the rows dated in [A - days, A - 1], A = D or, with
 * `anchor: 'monday'`, the Monday on or before D (a weekly refit's training window). `days` may name a
 * threshold of the processor (its run-time value counts). Rows dated D itself are read through the
 * checks (sameDay, processorRows) and are in the fingerprint already.
 */
export type ReadWindow =
  | { readonly seasons: number }
  | { readonly days: number | { readonly threshold: string }; readonly anchor: 'date' | 'monday' };

/** Days-windows only for another processor's output: its partitions are dated, not season-numbered. */
export type DaysWindow = Extract<ReadWindow, { readonly days: unknown }>;

/** What a processor really reads of one upstream before D (see ReadWindow), and why, from its SQL. */
export type Read =
  | { readonly source: { readonly table: string; readonly dateColumn: string }; readonly window: ReadWindow; readonly why: string }
  | { readonly source: { readonly processor: ProcessorKey }; readonly window: DaysWindow; readonly why: string };

export interface Audit {
  readonly name: string;
  /** Returns the offending rows for $from..$to; zero rows = pass. */
  readonly sql: string;
}

export interface ProcessorDefinition {
  readonly key: ProcessorKey;
  readonly processorName: string;       // e.g. PlayerShotZoneAnalysisProcessor
  readonly outputTable: string;         // schema.table
  readonly grain: string;               // one sentence
  readonly dateColumn: string;          // analysis_date | cache_date | game_date
  readonly entityColumn: string;        // player_lookup | team_abbr
  readonly version: string;
  readonly dependsOn: readonly ProcessorKey[];
  readonly dependencies: readonly Dependency[];
  /**
   * Everything the SQL reads of its upstreams before D (the checks above look at a recent window
   * only): each partition's upstream fingerprint covers these, so that a change anywhere in them makes
   * the partition stale. Absent: the checks' windows are all it reads.
   */
  readonly reads?: readonly Read[];
  readonly thresholds: Readonly<Record<string, number>>;
  /** Reads of seasons before D's (absent: D's season only); see HistoryWindow. */
  readonly historyWindow?: HistoryWindow;
  /** CREATE TABLE IF NOT EXISTS for the output table. */
  readonly ddl: string;
  /** SELECT producing output rows for game dates in [$from, $to]; params $from, $to, $run_id (+ thresholds). */
  readonly computeSql: string;
  /**
   * SELECT producing entity failures for [$from, $to]: analysis_date, entity_id, failure_category,
   * failure_reason, can_retry, is_expected.
   */
  readonly failuresSql: string;
  readonly audits: readonly Audit[];
  /**
   * Optional: computeSql and failuresSql split so that the candidate set is computed once per batch
   * (materialised in a temporary table) instead of once per query. Same rows as the two queries.
   */
  readonly staged?: StagedQueries;
  /**
   * Optional step run inside the batch transaction before the compute SQL, with the same parameters
   * (e.g. fitting the models the batch's dates need into a table the compute SQL reads). What it
   * writes commits or rolls back with the batch; like the SQL, it may read only games before each date.
   */
  readonly prepare?: (tx: Warehouse, params: SqlParams, options: QueryOptions) => Promise<void>;
}
