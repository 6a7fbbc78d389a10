// The registry-failure lifecycle (SYSTEM.md §2): PENDING (resolved_at NULL) → RESOLVED (an alias
// was added; resolved_at set) → REPROCESSED (the affected dates and everything downstream of them
// were rebuilt; reprocessed_at set).
import { UsageError } from '../../core/errors.js';
import type { Row, Warehouse } from '../../warehouse/warehouse.js';
import { jaroWinkler } from './jaro-winkler.js';
import { playerLookup, seasonLabelSql } from './player-lookup.js';
import { PROP_LINES_PROCESSOR } from './failures.js';
import { PLAYER_NAME_RESOLUTION_VIEW } from './resolution.js';

export const FAILURE_STATUS_SQL = `CASE WHEN resolved_at IS NULL THEN 'PENDING' WHEN reprocessed_at IS NULL THEN 'RESOLVED' ELSE 'REPROCESSED' END`;

/** A name's last word as a lookup ('Xavier Tillman Sr.' → 'sr'), the second way a suggestion is found. */
const lastWord = (name: string | null): string => playerLookup(/(\S+)$/.exec(name ?? '')?.[1] ?? '');

/**
 * PENDING failures, one row per lookup: how often and over which dates, and up to three registry
 * players whose lookup is close (Jaro-Winkler ≥ 0.85) or who share the last word of the name. The
 * scores are computed here (BigQuery has no Jaro-Winkler), over the registry's lookups.
 */
export async function pendingFailures(wh: Warehouse): Promise<Row[]> {
  // (LOOKUP is a reserved word of GoogleSQL: the column is named here, in TS.)
  const rows = await wh.query<{ name_lookup: string; raw_name: string | null } & Row>(`
    SELECT player_lookup AS name_lookup, min(raw_name) AS raw_name,
           string_agg(DISTINCT processor_name, ',' ORDER BY processor_name) AS processors,
           count(DISTINCT game_date) AS dates, sum(occurrence_count) AS occurrences,
           min(game_date) AS first_date, max(game_date) AS last_date
    FROM nba_processing.registry_failures WHERE resolved_at IS NULL
    GROUP BY player_lookup ORDER BY occurrences DESC, name_lookup`);
  if (rows.length === 0) return [];
  const pending = rows.map(({ name_lookup, ...rest }) => ({ lookup: name_lookup, ...rest }));
  const players = await wh.query<{ universal_player_id: number; player_lookup: string; player_name: string }>(
    'SELECT universal_player_id, player_lookup, player_name FROM nba_reference.nba_players_registry',
  );
  return pending.map((p) => {
    const word = lastWord(p.raw_name);
    const suggestions = players
      .map((r) => ({ r, score: jaroWinkler(p.lookup, r.player_lookup) }))
      .filter(({ r, score }) => score >= 0.85 || (word !== '' && lastWord(r.player_name) === word))
      .sort((x, y) => y.score - x.score || (x.r.player_name < y.r.player_name ? -1 : x.r.player_name > y.r.player_name ? 1 : 0))
      .slice(0, 3)
      .map(({ r }) => `${r.player_name} (${r.universal_player_id})`)
      .join('; ');
    return { ...p, suggestions };
  });
}

export interface RegistryPlayer {
  readonly universal_player_id: number;
  readonly player_lookup: string;
  readonly player_name: string;
}

/** PLAYER as a person id, a registry lookup or a display name; unknown or ambiguous → UsageError. */
export async function findRegistryPlayer(wh: Warehouse, player: string): Promise<RegistryPlayer> {
  const byId = /^\d+$/.test(player.trim());
  const rows = await wh.query<RegistryPlayer & Row>(
    byId
      ? 'SELECT universal_player_id, player_lookup, player_name FROM nba_reference.nba_players_registry WHERE universal_player_id = $id'
      : // a name two people carry matches both (the later one's lookup ends in his person id)
        `SELECT universal_player_id, player_lookup, player_name FROM nba_reference.nba_players_registry
         WHERE player_lookup = $name_lookup OR {{player_lookup(player_name)}} = $name_lookup ORDER BY universal_player_id`,
    byId ? { id: Number(player.trim()) } : { name_lookup: playerLookup(player) },
  );
  if (rows.length === 0) throw new UsageError(`no registry player matches '${player}' (give a person id, a player_lookup or the display name)`);
  if (rows.length > 1) {
    const ids = rows.map((r) => `${r.player_name} (${r.universal_player_id})`).join(', ');
    throw new UsageError(`'${player}' is ambiguous: ${ids}; give the person id instead`);
  }
  return rows[0] as RegistryPlayer;
}

export interface AliasResult {
  readonly aliasLookup: string;
  readonly player: RegistryPlayer;
  readonly failuresResolved: number;
}

/**
 * Adds (or re-points) an active manual alias and marks the PENDING failures of that lookup
 * RESOLVED. A name that resolves to a registry player's own lookup cannot be an alias: the registry
 * wins there. A name two registry players carry resolves to nobody (resolution.ts): an alias is how
 * the operator says which of them the sportsbook means by it.
 */
export async function addManualAlias(tx: Warehouse, name: string, player: string): Promise<AliasResult> {
  const aliasLookup = playerLookup(name);
  if (aliasLookup === '') throw new UsageError(`'${name}' has no letters or digits to make a lookup from`);
  const target = await findRegistryPlayer(tx, player);
  const owners = await tx.query<{ player_name: string; universal_player_id: number }>(
    `SELECT player_name, universal_player_id FROM ${PLAYER_NAME_RESOLUTION_VIEW} WHERE name_lookup = $alias_lookup AND resolved_via = 'registry'`,
    { alias_lookup: aliasLookup },
  );
  if (owners.length > 0) {
    const who = owners.map((o) => `${o.player_name} (${o.universal_player_id})`).join(', ');
    throw new UsageError(`'${aliasLookup}' is already a registry lookup (${who}); an alias cannot override it`);
  }
  // Who the spelling resolves to now (through an alias: a registry lookup was refused above).
  const [was] = await tx.query<{ universal_player_id: number }>(
    `SELECT universal_player_id FROM ${PLAYER_NAME_RESOLUTION_VIEW} WHERE name_lookup = $alias_lookup`,
    { alias_lookup: aliasLookup },
  );
  await tx.exec('DELETE FROM nba_reference.player_aliases WHERE alias_lookup = $alias_lookup', { alias_lookup: aliasLookup });
  await tx.exec(
    `INSERT INTO nba_reference.player_aliases
       (alias_lookup, alias_name, canonical_lookup, universal_player_id, alias_source, is_active, created_at)
     VALUES ($alias_lookup, $name, $canonical, $pid, 'manual', true, CAST(current_timestamp AS TIMESTAMP))`,
    { alias_lookup: aliasLookup, name, canonical: target.player_lookup, pid: target.universal_player_id },
  );
  const [n] = await tx.query<{ n: number }>(
    'SELECT count(*) AS n FROM nba_processing.registry_failures WHERE player_lookup = $alias_lookup AND resolved_at IS NULL',
    { alias_lookup: aliasLookup },
  );
  await tx.exec(
    'UPDATE nba_processing.registry_failures SET resolved_at = CAST(current_timestamp AS TIMESTAMP) WHERE player_lookup = $alias_lookup AND resolved_at IS NULL',
    { alias_lookup: aliasLookup },
  );
  // Re-pointed from another player: the contexts built with that player's lines are wrong now, and
  // there may be no failure to reprocess (it was REPROCESSED, or the old alias was a generated one).
  // Every date whose prop lines carry the spelling is queued as RESOLVED for `registry reprocess`.
  if (was && Number(was.universal_player_id) !== Number(target.universal_player_id)) {
    await tx.exec(
      `MERGE INTO nba_processing.registry_failures AS t
       USING (SELECT min(raw_name) AS raw_name, game_date, min(team_abbr) AS team_abbr, min(season) AS season, min(game_id) AS game_id
              FROM (SELECT p.player_name AS raw_name, p.game_date, p.team_abbr, ${seasonLabelSql('p.game_date')} AS season,
                           (SELECT min(s.game_id) FROM nba_reference.schedule s
                             WHERE s.game_date = p.game_date AND p.team_abbr IN (s.home_team_abbr, s.away_team_abbr)) AS game_id
                    FROM nba_raw.player_prop_lines p
                    WHERE {{player_lookup(p.player_name)}} = $alias_lookup AND p.prop NOT LIKE '%team%') lines
              GROUP BY game_date) AS s
       ON t.player_lookup = $alias_lookup AND t.game_date = s.game_date AND t.processor_name = $processor
       WHEN MATCHED THEN UPDATE SET resolved_at = CAST(current_timestamp AS TIMESTAMP), reprocessed_at = CAST(NULL AS TIMESTAMP)
       -- occurrence_count 0: the name never failed to resolve, it resolved to the wrong player
       WHEN NOT MATCHED THEN INSERT (player_lookup, raw_name, game_date, processor_name, team_abbr, season, game_id,
                                     created_at, resolved_at, reprocessed_at, occurrence_count, run_id)
         VALUES ($alias_lookup, s.raw_name, s.game_date, $processor, s.team_abbr, s.season, s.game_id,
                 CAST(current_timestamp AS TIMESTAMP), CAST(current_timestamp AS TIMESTAMP), CAST(NULL AS TIMESTAMP), 0, 'registry-alias')`,
      { alias_lookup: aliasLookup, processor: PROP_LINES_PROCESSOR },
    );
  }
  return { aliasLookup, player: target, failuresResolved: n?.n ?? 0 };
}

/** Rebuilds the given dates of one Phase 3 table (e.g. rebuildUpcomingPlayerContext). */
export type DateRebuilder = (tx: Warehouse, args: { readonly dates: string[]; readonly runId: string }) => Promise<unknown>;

/** What the rebuild of everything downstream of the rebuilt dates (from `from` on) came to. */
export interface DownstreamOutcome {
  /** true: everything downstream is rebuilt (or was up to date); the failures may be marked REPROCESSED. */
  readonly ok: boolean;
  /** One line for the operator: the run and its range, or why nothing ran. */
  readonly detail: string;
}

/**
 * Rebuilds everything downstream of the Phase 3 dates just rebuilt, from the earliest of them on (the
 * CLI: the engine's default backfill to the last partition date stored, src/engine/rebuild-downstream.ts);
 * `'skip'` leaves it to a later backfill, and the failures RESOLVED.
 */
export type Downstream = ((args: { readonly from: string; readonly runId: string }) => Promise<DownstreamOutcome>) | 'skip';

export interface ReprocessOutcome {
  readonly processorName: string;
  readonly dates: readonly string[];
  readonly failures: number;
  /** false when no rebuilder is registered for the processor: its failures stay RESOLVED. */
  readonly rebuilt: boolean;
  /** true when its failures were marked REPROCESSED (Phase 3 and everything downstream rebuilt). */
  readonly reprocessed: boolean;
}

export interface ReprocessResult {
  readonly outcomes: readonly ReprocessOutcome[];
  /** null when there was no downstream work to consider: nothing rebuilt, or `'skip'`. */
  readonly downstream: DownstreamOutcome | null;
}

/** A failure as it was RESOLVED when the reprocess read it: re-resolved since (a re-pointed alias), it no longer matches. */
const FAILURE_KEY_SQL = `concat(processor_name, '|', player_lookup, '|', CAST(game_date AS STRING), '|', CAST(resolved_at AS STRING))`;

/**
 * The lifecycle's last step (SYSTEM.md §2: REPROCESSED = the affected dates and everything downstream
 * of them rebuilt). For every processor with RESOLVED failures and a rebuilder: its affected dates
 * rebuilt, one transaction per processor. Then the downstream, from the earliest rebuilt date on; only
 * when it succeeded are the failures marked REPROCESSED — exactly those read at the start, as they
 * were then, so that one resolved again meanwhile waits for the next reprocess.
 *
 * A failed (or interrupted, or throwing) downstream leaves every failure RESOLVED. Running the
 * reprocess again resumes: it rebuilds the same Phase 3 dates (the same rows, so their checksums and
 * the fingerprints downstream do not change) and the downstream rebuilds only what is still stale,
 * failed or missing — after a successful run elsewhere (a `backfill`), nothing.
 */
export async function reprocessResolved(
  wh: Warehouse,
  options: { readonly runId: string; readonly rebuilders: Readonly<Record<string, DateRebuilder>>; readonly downstream: Downstream },
): Promise<ReprocessResult> {
  const rows = await wh.query<{ processor_name: string; game_date: string; failure_key: string }>(
    `SELECT processor_name, CAST(game_date AS STRING) AS game_date, ${FAILURE_KEY_SQL} AS failure_key
     FROM nba_processing.registry_failures WHERE resolved_at IS NOT NULL AND reprocessed_at IS NULL
     ORDER BY processor_name, game_date`,
  );
  const work = new Map<string, { dates: string[]; keys: string[] }>();
  for (const r of rows) {
    const w = work.get(r.processor_name) ?? { dates: [], keys: [] };
    if (w.dates.at(-1) !== r.game_date) w.dates.push(r.game_date);
    w.keys.push(r.failure_key);
    work.set(r.processor_name, w);
  }
  const rebuilt: string[] = [];
  for (const [processor, w] of work) {
    const rebuild = options.rebuilders[processor];
    if (!rebuild) continue;
    await wh.transaction((tx) => rebuild(tx, { dates: [...w.dates], runId: options.runId }));
    rebuilt.push(processor);
  }
  const from = rebuilt.flatMap((p) => work.get(p)?.dates ?? []).sort()[0];
  const downstream = from === undefined || options.downstream === 'skip' ? null : await options.downstream({ from, runId: options.runId });
  const reprocessed = downstream?.ok === true;
  if (reprocessed) {
    await wh.transaction((tx) =>
      tx.exec(
        `UPDATE nba_processing.registry_failures SET reprocessed_at = CAST(current_timestamp AS TIMESTAMP)
         WHERE resolved_at IS NOT NULL AND reprocessed_at IS NULL AND ${FAILURE_KEY_SQL} IN (SELECT k FROM {{unnest_as($keys, k)}})`,
        { keys: rebuilt.flatMap((p) => work.get(p)?.keys ?? []) },
      ),
    );
  }
  const outcomes = [...work].map(([processorName, w]) => {
    const isRebuilt = rebuilt.includes(processorName);
    return { processorName, dates: w.dates, failures: w.keys.length, rebuilt: isRebuilt, reprocessed: isRebuilt && reprocessed };
  });
  return { outcomes, downstream };
}
