// Content hashes of tables for "same tables" assertions (rerun, crash-resume, per-date vs range).
// Bookkeeping columns that legitimately differ between runs are left out.
import type { Warehouse } from '../warehouse/warehouse.js';

export const VOLATILE_COLUMNS = ['processed_at', 'run_id', 'loaded_at', 'created_at', 'source_file'] as const;

/** `alsoLeaveOut`: further columns that differ by design in the comparison at hand (e.g. by engine). */
export async function tableHash(wh: Warehouse, table: string, where = 'true', alsoLeaveOut: readonly string[] = []): Promise<{ rows: number; hash: string }> {
  const cols = await wh.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema || '.' || table_name = $t ORDER BY ordinal_position`,
    { t: table },
  );
  const left = new Set<string>([...VOLATILE_COLUMNS, ...alsoLeaveOut]);
  const kept = cols.map((c) => c.column_name).filter((c) => !left.has(c));
  const [r] = await wh.query<{ rows: number; hash: string }>(
    // Order-independent: a sum of per-row hashes (as HUGEINT so it cannot overflow).
    `SELECT count(*) AS rows, CAST(coalesce(sum(CAST(hash(to_json(t)) AS HUGEINT)), 0) AS VARCHAR) AS hash
     FROM (SELECT ${kept.map((c) => `"${c}"`).join(', ')} FROM ${table} WHERE ${where}) t`,
  );
  return { rows: r?.rows ?? 0, hash: r?.hash ?? '' };
}

export async function tableHashes(wh: Warehouse, tables: readonly string[]): Promise<Record<string, { rows: number; hash: string }>> {
  const out: Record<string, { rows: number; hash: string }> = {};
  for (const t of tables) out[t] = await tableHash(wh, t);
  return out;
}
