// Bookkeeping of the incremental ingest (nba_raw.landing_ingests, created by migrate with INGEST_DDL):
// per game date, the fingerprint of the landed inputs last ingested, so an unchanged date is skipped.
import type { WriteUnit } from '../write-unit.js';

/** Forgets what was ingested from the landing folder in a date range (a bulk ingest replaced it). */
export function forgetLandedStatements(unit: WriteUnit, range: { readonly from: string; readonly to: string }): void {
  unit.add(`DELETE FROM nba_raw.landing_ingests WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`, { from: range.from, to: range.to });
}
