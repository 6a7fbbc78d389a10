// The TypeScript twin of the SQL piece {{player_lookup(name)}} (src/warehouse/dialect-pieces.ts), for
// the CLI and for validating inputs before they reach SQL. They must agree; registry.test.ts checks
// it on DuckDB, ingest-sql.bq.test.ts on BigQuery's evaluator, on every name in the bundled files.

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
  const y = `(EXTRACT(YEAR FROM ${dateExpr}) - CASE WHEN EXTRACT(MONTH FROM ${dateExpr}) >= 10 THEN 0 ELSE 1 END)`;
  return seasonLabelOfYearSql(y);
}

/** The label of a season year in SQL: 2021 → '2021-22'. */
export function seasonLabelOfYearSql(yearExpr: string): string {
  return `(CAST(${yearExpr} AS STRING) || '-' || lpad(CAST(mod(${yearExpr} + 1, 100) AS STRING), 2, '0'))`;
}
