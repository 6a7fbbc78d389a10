// The TypeScript twin of the SQL macro player_lookup_of (src/ingest/schema.ts), for the CLI and
// for validating inputs before they reach SQL. The two must agree; player-lookup.test.ts checks it.

/** Lower-case, diacritics stripped, [a-z0-9] only: 'Nikola Jokić' → 'nikolajokic'. */
export function playerLookup(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Season label of a season year: 2021 → '2021-22'. */
export function seasonLabel(seasonYear: number): string {
  return `${seasonYear}-${String((seasonYear + 1) % 100).padStart(2, '0')}`;
}

/** The same label computed in SQL from a DATE expression (October onward belongs to the new season). */
export function seasonLabelSql(dateExpr: string): string {
  const y = `(year(${dateExpr}) - CASE WHEN month(${dateExpr}) >= 10 THEN 0 ELSE 1 END)`;
  return `(CAST(${y} AS VARCHAR) || '-' || lpad(CAST((${y} + 1) % 100 AS VARCHAR), 2, '0'))`;
}
