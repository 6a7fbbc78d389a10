// Set-based name resolution for Phase 3: join on lookup, get the NBA person id. Order as SYSTEM.md
// §2: the registry's own lookups first, then active aliases. A name that two registry players
// carry resolves to nobody (it stays unresolved and is tracked), never to an arbitrary one: a
// lookup two rows share (a hand edit: a build never writes one), or the name of a person who got
// '<lookup><person id>' because another person holds the name's lookup (build-registry.ts). Only a
// manual alias (`registry alias`, the operator's call) can say which of them such a name means.

export const PLAYER_NAME_RESOLUTION_VIEW = 'nba_reference.player_name_resolution';

/**
 * Grain: one row per resolvable lookup. Columns: name_lookup (LOOKUP is a reserved word of GoogleSQL), universal_player_id, canonical_lookup,
 * player_name, resolved_via ('registry' | 'alias'). Include in migrations after INGEST_DDL.
 */
export const PLAYER_NAME_RESOLUTION_DDL = `
CREATE OR REPLACE VIEW ${PLAYER_NAME_RESOLUTION_VIEW} AS
WITH registry AS (
  SELECT player_lookup, universal_player_id, player_name,
         count(*) OVER (PARTITION BY player_lookup) AS players_with_lookup
  FROM nba_reference.nba_players_registry
),
shared_names AS (
  SELECT {{player_lookup(player_name)}} AS name_key FROM nba_reference.nba_players_registry GROUP BY 1 HAVING count(*) > 1
),
own_lookups AS (
  SELECT player_lookup, universal_player_id, player_name FROM registry
  WHERE players_with_lookup = 1 AND player_lookup NOT IN (SELECT name_key FROM shared_names)
)
SELECT player_lookup AS name_lookup, universal_player_id, player_lookup AS canonical_lookup, player_name,
       'registry' AS resolved_via
FROM own_lookups
UNION ALL
SELECT a.alias_lookup, r.universal_player_id, r.player_lookup, r.player_name, 'alias'
FROM nba_reference.player_aliases a
JOIN nba_reference.nba_players_registry r ON r.universal_player_id = a.universal_player_id
WHERE a.is_active
  AND a.alias_lookup NOT IN (SELECT player_lookup FROM own_lookups);
`;
