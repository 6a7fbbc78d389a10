// The as-of audit of the Phase 3 pre-game contexts, run after every (re)build of them: queries that
// return the offending rows (zero rows = pass, as for the Phase 4 audits in src/processors/audits.ts).
// Each context row records the latest game date its aggregates read (source_last_game_date, from the
// same joined rows as the aggregates), so a window that reads the game date itself fails the build.
import { CourtsideError } from '../../core/errors.js';
import type { Audit } from '../../processors/processor.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export const CONTEXT_AUDITS: readonly Audit[] = [
  {
    name: 'upcoming_player_game_context_as_of',
    sql: `SELECT player_lookup, game_id, game_date, source_last_game_date
          FROM nba_analytics.upcoming_player_game_context
          WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
            AND (source_last_game_date >= game_date OR source_last_game_date IS NULL)`,
  },
  {
    name: 'upcoming_team_game_context_as_of',
    sql: `SELECT team_abbr, game_id, game_date, source_last_game_date
          FROM nba_analytics.upcoming_team_game_context
          WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
            AND source_last_game_date >= game_date`,
  },
];

/** Run before every Phase 3 write (build-phase3.ts): one row per player_lookup that two registry players hold. */
export const SHARED_LOOKUP_AUDIT: Audit = {
  name: 'registry_one_person_per_lookup',
  sql: `SELECT concat('player_lookup ', player_lookup, ' is held by ',
                     string_agg(concat(player_name, ' (', CAST(universal_player_id AS STRING), ')'), ' and ' ORDER BY universal_player_id)) AS shared
        FROM nba_reference.nba_players_registry GROUP BY player_lookup HAVING count(*) > 1`,
};

/** A pre-game context read a game on or after its own date: the build is rolled back. */
export class ContextAuditError extends CourtsideError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('AUDIT_FAILED', message, 1, options);
  }

  static of(audit: string, count: number, sample: unknown): ContextAuditError {
    return new ContextAuditError(`${contextAuditMessage(audit)}: ${count} row(s), e.g. ${JSON.stringify(sample)}`);
  }
}

/** The message of an audit that fails inside a build's unit (BigQuery's ASSERT takes only a literal). */
export function contextAuditMessage(audit: string): string {
  if (audit === SHARED_LOOKUP_AUDIT.name) {
    return (
      `Phase 3 audit '${audit}' failed: two registry players (universal_player_id) share a player_lookup, which keys ` +
      `player_game_summary, the pre-game contexts and Phase 4 and 5; nothing was written. Give each person his own lookup: ` +
      '`courtside ingest` rebuilds nba_reference.nba_players_registry (a second person whose name is taken gets the lookup ' +
      'followed by his person id), or correct the row by hand (list them: SELECT player_lookup FROM nba_reference.nba_players_registry ' +
      'GROUP BY player_lookup HAVING count(*) > 1)'
    );
  }
  return `Phase 3 audit '${audit}' failed: a pre-game context row read a game on or after its own date`;
}

/** A failed in-unit audit (DuckDB's error(), BigQuery's ASSERT) as the ContextAuditError it is; anything else as it was. */
export function asContextAuditError(err: unknown): unknown {
  const message = err instanceof Error ? err.message : String(err);
  const at = message.indexOf("Phase 3 audit '");
  return at >= 0 ? new ContextAuditError(message.slice(at), { cause: err }) : err;
}

/** Runs every context audit over the game dates from..to; throws on the first that returns rows. */
export async function auditContexts(tx: Warehouse, range: { readonly from: string; readonly to: string }): Promise<void> {
  for (const audit of CONTEXT_AUDITS) {
    const bad = await tx.query(`SELECT * FROM (${audit.sql}) audited ORDER BY game_date, game_id`, { from: range.from, to: range.to });
    if (bad.length > 0) throw ContextAuditError.of(audit.name, bad.length, bad[0]);
  }
}
