// Builds nba_reference.nba_players_registry (grain: one row per NBA person id seen as a player in
// nba_raw.play_by_play) and the generated part of nba_reference.player_aliases (grain: one row per
// alternate spelling's lookup). Manual aliases are never touched: they survive every rebuild.
import type { Warehouse } from '../../warehouse/warehouse.js';
import { WriteUnit } from '../write-unit.js';
import { seasonLabelOfYearSql } from './player-lookup.js';

/** Name sources in priority order (data README §2 "Name quirks"). */
export const NAME_SOURCES = ['commonplayerinfo', 'shotchart', 'betfinder_lu_initial_match', 'pbp_description_initial_only'] as const;
export type RegistryNameSource = (typeof NAME_SOURCES)[number];

// Portable patterns: no backslash classes (GoogleSQL reads them as string escapes); WS is RE2's \s.
const WS = '[ \\t\\n\\f\\r]';
const NOT_WS = '[^ \\t\\n\\f\\r]';
/** True when `expr` holds a match of `pattern` (which must not match the empty string): removing it changes the text, on either engine's replace. */
export const matches = (expr: string, pattern: string): string => `regexp_replace(${expr}, '${pattern}', '') <> ${expr}`;
/** 'F. Lastname' forms, with or without the space ('C.Diallo'). */
const INITIAL_FORM = `^[A-Za-z][.]${WS}?${NOT_WS}`;
/** Generational suffixes sportsbooks drop: 'Xavier Tillman' for 'Xavier Tillman Sr.'. */
const SUFFIX = `${WS}+(Jr[.]?|Sr[.]?|II|III|IV|V)$`;

// Players = ids on court (players_on) or with any non-foul event; ids that only commit fouls and
// are never on court are coaches (technicals) or ejected bench players. Person id 0 = team events.
// `pbp` is the play-by-play relation read: the whole table (rebuild) or one date range (new players
// of an incremental ingest). Registry rows already stored take part in the uniqueness rules
// (initial-form keys, betfinder names already held): empty during a rebuild, so that one is unchanged.
const peopleSql = (pbp: string): string => `
people_seasons AS (
  -- HAVING min(pid) > 0, not WHERE pid > 0: DuckDB pushes a filter on an unnested value into the
  -- lateral unnest and plans a correlated join thirty times slower; a filter on an aggregate stays here.
  SELECT pid, season_year, min(game_date) AS first_date FROM (
    SELECT pid, e.season_year, e.game_date FROM ${pbp} e CROSS JOIN {{unnest_as(e.players_on, pid)}}
    UNION ALL
    SELECT person_id, season_year, game_date FROM ${pbp} f WHERE coalesce(action_type, '') <> 'foul'
  ) ids GROUP BY pid, season_year HAVING min(pid) > 0
),
people AS (  -- first_date: who came first keeps a name two people carry (see insertRegistrySql)
  SELECT pid, array_agg(${seasonLabelOfYearSql('season_year')} ORDER BY season_year) AS seasons, min(first_date) AS first_date
  FROM people_seasons GROUP BY pid
),
-- The pbp writes 'T. Young' / 'S.Harrison' in descriptions and the bare last name in player_name:
-- the initial is the token ending in '.' right before the first occurrence of the last name.
-- (the text before the name is counted first and read once per distinct text, not once per event)
pbp_mentions AS (
  SELECT pid, last_name, n,
         coalesce(regexp_extract(before_name, '([A-Z][A-Za-z]*[.])${WS}*$', 1), '') AS initial
  FROM (SELECT person_id AS pid, player_name AS last_name, substr(description, 1, strpos(description, player_name) - 1) AS before_name,
               count(*) AS n
        FROM ${pbp} m
        WHERE person_id > 0 AND coalesce(player_name, '') <> '' AND strpos(description, player_name) > 0
        GROUP BY 1, 2, 3) mentioned
),
pbp_form AS (  -- the form written most often (then the first alphabetically)
  SELECT pid, fi_last FROM (
    SELECT pid, fi_last, row_number() OVER (PARTITION BY pid ORDER BY n DESC, fi_last) AS choice
    FROM (SELECT pid, CASE WHEN initial = '' THEN last_name ELSE concat(initial, ' ', last_name) END AS fi_last, sum(n) AS n
          FROM pbp_mentions GROUP BY pid, last_name, initial) counted
  ) ranked WHERE choice = 1
),
cpi AS (
  SELECT source_player_id AS pid, min(name) AS name,
         min({{json_string(extra, '$.display_fi_last')}}) AS fi_last,
         min({{try_cast({{json_string(extra, '$.birthdate')}}, DATE)}}) AS birthdate
  FROM nba_raw.player_name_sources WHERE source = 'commonplayerinfo' GROUP BY source_player_id
),
shot AS (  -- the latest season's spelling: later files carry the corrections
  SELECT pid, name FROM (
    SELECT source_player_id AS pid, name, row_number() OVER (PARTITION BY source_player_id ORDER BY season_label DESC, name) AS choice
    FROM nba_raw.player_name_sources WHERE source = 'shotchart'
  ) ranked WHERE choice = 1
),
named AS (
  SELECT p.pid, p.seasons, p.first_date, f.fi_last AS pbp_fi_last, c.fi_last AS cpi_fi_last, c.birthdate,
         coalesce(c.name, s.name) AS name,
         CASE WHEN c.name IS NOT NULL THEN 'commonplayerinfo' WHEN s.name IS NOT NULL THEN 'shotchart' END AS name_source
  FROM people p LEFT JOIN cpi c ON c.pid = p.pid LEFT JOIN shot s ON s.pid = p.pid LEFT JOIN pbp_form f ON f.pid = p.pid
),
-- Sportsbook names in 'F. Lastname' key form: from the name itself, and from aliases already in that form.
bf AS (
  SELECT name, extra FROM nba_raw.player_name_sources WHERE source = 'betfinder'
),
bf_keys AS (
  SELECT DISTINCT name, key FROM (
    SELECT name, concat({{player_lookup(left(name, 1))}}, {{player_lookup(coalesce(regexp_extract(name, '^${NOT_WS}+${WS}+(.+)$', 1), ''))}}) AS key FROM bf
    UNION ALL
    SELECT b.name, {{player_lookup(a)}} FROM bf b CROSS JOIN {{unnest_as({{json_string_array(b.extra, '$.aliases')}}, a)}}
    WHERE ${matches('a', INITIAL_FORM)}
  ) keys WHERE ${matches('name', WS)}
),
stored_unnamed AS (  -- registry players named only by their initial form (none during a rebuild)
  SELECT universal_player_id AS pid, display_fi_last AS pbp_fi_last FROM nba_reference.nba_players_registry
  WHERE name_source NOT IN ('commonplayerinfo', 'shotchart') AND universal_player_id NOT IN (SELECT pid FROM named)
),
unnamed AS (
  SELECT pid, pbp_fi_last, key, pids_with_key FROM (
    SELECT pid, pbp_fi_last, {{player_lookup(pbp_fi_last)}} AS key, NOT stored AS fresh,
           count(*) OVER (PARTITION BY {{player_lookup(pbp_fi_last)}}) AS pids_with_key
    FROM (SELECT pid, pbp_fi_last, false AS stored FROM named WHERE name IS NULL
          UNION ALL SELECT pid, pbp_fi_last, true FROM stored_unnamed) candidates
  ) keyed WHERE fresh
),
-- A betfinder name already held by a better-sourced player cannot also be this player.
bf_match AS (
  SELECT u.pid, min(k.name) AS name
  FROM unnamed u JOIN bf_keys k ON k.key = u.key
  WHERE u.pids_with_key = 1
    AND {{player_lookup(k.name)}} NOT IN (SELECT {{player_lookup(name)}} FROM named WHERE name IS NOT NULL
                                         UNION ALL SELECT player_lookup FROM nba_reference.nba_players_registry
                                         WHERE name_source IN ('commonplayerinfo', 'shotchart'))
  GROUP BY u.pid HAVING count(DISTINCT k.name) = 1
)`;

// One person per player_lookup: Phase 3 to 5 key players by it. A second person whose name gives a
// lookup already taken (two 'Chris Johnson's) gets '<lookup><person id>', deterministic and stable
// across rebuilds; the lookup stays with whoever holds it already (a registry row stored before an
// incremental ingest), else with who played first (first game date, then the lower person id), so
// a rebuild keeps the lookup where the nightly ingests put it when the data came in date order.
// The name itself then resolves to nobody (see resolution.ts) and the collision is a registry
// failure (sharedNameFailureStatements): visible, never a silent merge of two people's histories.
const insertRegistrySql = (pbp: string, where: string): string => `
INSERT INTO nba_reference.nba_players_registry
  (universal_player_id, player_lookup, player_name, display_fi_last, name_source, birthdate, seasons, processed_at)
WITH ${peopleSql(pbp)},
chosen AS (
  SELECT n.pid, n.first_date, n.birthdate, n.seasons,
         coalesce(n.name, m.name, n.pbp_fi_last, concat('person ', CAST(n.pid AS STRING))) AS player_name,
         coalesce(n.cpi_fi_last, n.pbp_fi_last) AS display_fi_last,
         coalesce(n.name_source, CASE WHEN m.name IS NOT NULL THEN 'betfinder_lu_initial_match'
                                      WHEN n.pbp_fi_last IS NOT NULL THEN 'pbp_description_initial_only'
                                      ELSE 'person_id_only' END) AS name_source
  FROM named n LEFT JOIN bf_match m ON m.pid = n.pid
  WHERE ${where}
),
keyed AS (
  SELECT pid, birthdate, seasons, player_name, display_fi_last, name_source, {{player_lookup(player_name)}} AS name_key,
         row_number() OVER (PARTITION BY {{player_lookup(player_name)}} ORDER BY first_date, pid) AS arrival
  FROM chosen
)
SELECT pid,
       CASE WHEN arrival = 1 AND name_key NOT IN (SELECT player_lookup FROM nba_reference.nba_players_registry) THEN name_key
            ELSE concat(name_key, CAST(pid AS STRING)) END,
       player_name, display_fi_last, name_source, birthdate, seasons, CAST(current_timestamp AS TIMESTAMP)
FROM keyed`;

export const INSERT_REGISTRY_SQL = insertRegistrySql('nba_raw.play_by_play', 'true');

/** One date range's play-by-play: where an incremental ingest looks for people it has not seen. */
const RANGE_PBP = `(SELECT * FROM nba_raw.play_by_play WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE))`;

// Generated aliases, best source first. A spelling that is some registry player's own lookup, or
// that would point at two players, is left out: ambiguity must stay visible as a failure.
export const INSERT_ALIASES_SQL = `
INSERT INTO nba_reference.player_aliases
  (alias_lookup, alias_name, canonical_lookup, universal_player_id, alias_source, is_active, created_at)
WITH reg AS (SELECT universal_player_id AS pid, player_lookup, player_name, display_fi_last, name_source FROM nba_reference.nba_players_registry),
shot AS (
  SELECT s.name AS alias_name, s.source_player_id AS pid, 'shotchart' AS alias_source, 1 AS pref
  FROM nba_raw.player_name_sources s JOIN reg r ON r.pid = s.source_player_id WHERE s.source = 'shotchart'
),
known AS (  -- spellings already tied to an id: registry lookups and shot-chart names
  SELECT player_lookup AS spelling_key, pid FROM reg UNION DISTINCT SELECT {{player_lookup(alias_name)}}, pid FROM shot
),
bf AS (  -- every spelling of a betfinder entry: its name and its aliases
  SELECT name AS entry, name AS spelling FROM nba_raw.player_name_sources WHERE source = 'betfinder'
  UNION ALL
  SELECT e.name, a FROM nba_raw.player_name_sources e CROSS JOIN {{unnest_as({{json_string_array(e.extra, '$.aliases')}}, a)}}
  WHERE e.source = 'betfinder'
),
bf_entry AS (  -- a betfinder entry belongs to a player when its spellings point at exactly one id
  SELECT bf.entry, min(k.pid) AS pid FROM bf JOIN known k ON k.spelling_key = {{player_lookup(bf.spelling)}}
  GROUP BY bf.entry HAVING count(DISTINCT k.pid) = 1
),
fi_owners AS (SELECT {{player_lookup(display_fi_last)}} AS fi_key, count(*) AS n FROM reg WHERE display_fi_last IS NOT NULL GROUP BY 1),
betfinder AS (
  SELECT bf.spelling AS alias_name, e.pid, 'betfinder' AS alias_source, 2 AS pref
  FROM bf JOIN bf_entry e ON e.entry = bf.entry
  LEFT JOIN fi_owners o ON o.fi_key = {{player_lookup(bf.spelling)}}
  -- 'K. Birch' style: only when at most one registry player has that initial form (this one)
  WHERE NOT ${matches('bf.spelling', INITIAL_FORM)} OR coalesce(o.n, 0) <= 1
),
suffix AS (  -- sportsbooks drop generational suffixes: 'Xavier Tillman' for 'Xavier Tillman Sr.'
  SELECT regexp_replace(player_name, '${SUFFIX}', '') AS alias_name, pid, 'suffix' AS alias_source, 3 AS pref
  FROM reg WHERE ${matches('player_name', SUFFIX)}
    AND name_source <> 'pbp_description_initial_only'  -- 'M. Foster' could be anyone
),
candidates AS (
  SELECT {{player_lookup(alias_name)}} AS alias_lookup, alias_name, pid, alias_source, pref
  FROM (SELECT * FROM shot UNION ALL SELECT * FROM betfinder UNION ALL SELECT * FROM suffix) spelled
),
ranked AS (  -- per spelling: the best source's row (then alphabetical), and whether one player claims it
  SELECT c.alias_lookup, c.alias_name, r.player_lookup, c.pid, c.alias_source,
         row_number() OVER (PARTITION BY c.alias_lookup ORDER BY c.pref, c.alias_name) AS choice,
         min(c.pid) OVER (PARTITION BY c.alias_lookup) AS first_pid, max(c.pid) OVER (PARTITION BY c.alias_lookup) AS last_pid
  FROM candidates c JOIN reg r ON r.pid = c.pid
  WHERE c.alias_lookup <> ''
    AND c.alias_lookup NOT IN (SELECT player_lookup FROM reg)
    AND c.alias_lookup NOT IN (SELECT alias_lookup FROM nba_reference.player_aliases)
)
SELECT alias_lookup, alias_name, player_lookup, pid, alias_source, true, CAST(current_timestamp AS TIMESTAMP)
FROM ranked WHERE choice = 1 AND first_pid = last_pid`;

/** The registry and generated aliases rebuilt from nba_raw (play_by_play + player_name_sources). */
export function registryStatements(unit: WriteUnit): void {
  unit.add('DELETE FROM nba_reference.nba_players_registry WHERE true');
  unit.add(INSERT_REGISTRY_SQL);
  unit.add(`DELETE FROM nba_reference.player_aliases WHERE alias_source <> 'manual'`);
  // Manual aliases point at a person id; keep their canonical lookup in step with the new names.
  unit.add(
    `UPDATE nba_reference.player_aliases a SET canonical_lookup = r.player_lookup
     FROM nba_reference.nba_players_registry r
     WHERE a.alias_source = 'manual' AND r.universal_player_id = a.universal_player_id`,
  );
  unit.add(INSERT_ALIASES_SQL);
}

export interface RegistryBuildSummary {
  readonly players: number;
  readonly byNameSource: Readonly<Record<string, number>>;
  readonly aliasesBySource: Readonly<Record<string, number>>;
  /** Lookups two registry rows hold (a hand edit: Phase 3 refuses to run on them). */
  readonly ambiguousLookups: number;
  /** Names (as lookups) two or more people carry: all but the first got '<lookup><person id>'; lines by the name stay unresolved. */
  readonly sharedNames: number;
}

/**
 * Rebuilds the registry and generated aliases from nba_raw (play_by_play + player_name_sources).
 * Run inside the caller's transaction: a failure leaves the previous registry in place.
 * `runId` is not stored (the registry has no run column); it is accepted for the ingest's call shape.
 */
export async function buildRegistry(tx: Warehouse, _runId: string): Promise<RegistryBuildSummary> {
  const unit = new WriteUnit(tx.dialect);
  registryStatements(unit);
  await unit.run(tx);
  return registrySummary(tx);
}

/** What the registry holds: players by name source, aliases by source, lookups two players share. */
export async function registrySummary(tx: Warehouse): Promise<RegistryBuildSummary> {
  const sources = await tx.query<{ k: string; n: number }>(
    'SELECT name_source AS k, count(*) AS n FROM nba_reference.nba_players_registry GROUP BY 1 ORDER BY 1',
  );
  const aliases = await tx.query<{ k: string; n: number }>(
    'SELECT alias_source AS k, count(*) AS n FROM nba_reference.player_aliases GROUP BY 1 ORDER BY 1',
  );
  const [amb] = await tx.query<{ n: number; names: number }>(
    `SELECT (SELECT count(*) FROM (SELECT player_lookup FROM nba_reference.nba_players_registry GROUP BY 1 HAVING count(*) > 1) shared) AS n,
            (SELECT count(*) FROM (SELECT {{player_lookup(player_name)}} FROM nba_reference.nba_players_registry GROUP BY 1 HAVING count(*) > 1) named) AS names`,
  );
  return {
    players: sources.reduce((s, r) => s + r.n, 0),
    byNameSource: Object.fromEntries(sources.map((r) => [r.k, r.n])),
    aliasesBySource: Object.fromEntries(aliases.map((r) => [r.k, r.n])),
    ambiguousLookups: amb?.n ?? 0,
    sharedNames: amb?.names ?? 0,
  };
}

export interface NewPlayersSummary {
  /** Person ids seen for the first time in the range, now in the registry. */
  readonly added: number;
  /** Their names by source (the same priority as a rebuild). */
  readonly byNameSource: Readonly<Record<string, number>>;
}

/**
 * Incremental twin of buildRegistry for one date range's play-by-play: adds the people seen there
 * for the first time (same naming rules, the stored registry taking part in the uniqueness rules),
 * adds a season to the players already known who appear in a new one, and generates aliases for the
 * newcomers. Players already stored keep their rows, so Phase 3 rows written earlier stay valid;
 * a full `ingest` rebuild may still rename an initial-only player whose key a newcomer now shares.
 */
export async function addNewPlayers(tx: Warehouse, range: { readonly from: string; readonly to: string }): Promise<NewPlayersSummary> {
  const params = { from: range.from, to: range.to };
  const fresh = `n.pid NOT IN (SELECT universal_player_id FROM nba_reference.nba_players_registry)`;
  const bySource = async () =>
    new Map((await tx.query<{ k: string; n: number }>(`SELECT name_source AS k, count(*) AS n FROM nba_reference.nba_players_registry GROUP BY 1`)).map((r) => [r.k, r.n]));
  const before = await bySource();
  // Most nights bring nobody new: look before running the naming rules.
  const [unseen] = await tx.query<{ n: number }>(
    `SELECT count(*) AS n FROM (
       SELECT pid FROM (
         SELECT pid FROM ${RANGE_PBP} e CROSS JOIN {{unnest_as(e.players_on, pid)}}
         UNION ALL
         SELECT person_id FROM ${RANGE_PBP} f WHERE coalesce(action_type, '') <> 'foul'
       ) ids GROUP BY pid HAVING min(pid) > 0  -- (see people_seasons: no filter on unnested values)
     ) people WHERE pid NOT IN (SELECT universal_player_id FROM nba_reference.nba_players_registry)`,
    params,
  );
  const unit = new WriteUnit(tx.dialect);
  if ((unseen?.n ?? 0) > 0) unit.add(insertRegistrySql(RANGE_PBP, fresh), params);
  // Players already known who appear in a new season get it added (sorted, once each).
  unit.add(
    `UPDATE nba_reference.nba_players_registry r SET seasons = s.seasons
     FROM (SELECT pid, array_agg(label ORDER BY label) AS seasons FROM (
             SELECT x.universal_player_id AS pid, label FROM nba_reference.nba_players_registry x CROSS JOIN {{unnest_as(x.seasons, label)}}
             WHERE x.universal_player_id IN (SELECT person_id FROM ${RANGE_PBP} g)
             UNION DISTINCT
             SELECT person_id, ${seasonLabelOfYearSql('season_year')} FROM ${RANGE_PBP} h WHERE person_id > 0
           ) labels GROUP BY pid) s
     WHERE s.pid = r.universal_player_id AND array_length(s.seasons) > array_length(r.seasons)`,
    params,
  );
  await unit.run(tx);
  const added = [...(await bySource())].map(([k, n]) => ({ k, n: n - (before.get(k) ?? 0) })).filter((r) => r.n > 0).sort((a, b) => a.k.localeCompare(b.k));
  const total = added.reduce((n, r) => n + r.n, 0);
  // Spellings already taken keep their player; the newcomers get the ones still free.
  if (total > 0) await new WriteUnit(tx.dialect).add(INSERT_ALIASES_SQL).run(tx);
  return { added: total, byNameSource: Object.fromEntries(added.map((r) => [r.k, r.n])) };
}
