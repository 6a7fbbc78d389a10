// Set-based name resolution for Phase 3: join on lookup, get the NBA person id. Order as SYSTEM.md
// §2: the registry's own lookups first, then active aliases; a lookup that two registry players
// share resolves to nobody (it stays unresolved and is tracked), never to an arbitrary one.

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
)
SELECT player_lookup AS name_lookup, universal_player_id, player_lookup AS canonical_lookup, player_name,
       'registry' AS resolved_via
FROM registry WHERE players_with_lookup = 1
UNION ALL
SELECT a.alias_lookup, r.universal_player_id, r.player_lookup, r.player_name, 'alias'
FROM nba_reference.player_aliases a
JOIN nba_reference.nba_players_registry r ON r.universal_player_id = a.universal_player_id
WHERE a.is_active
  AND a.alias_lookup NOT IN (SELECT player_lookup FROM nba_reference.nba_players_registry);
`;
