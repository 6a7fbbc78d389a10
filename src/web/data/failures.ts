// Failures over a date range: the `courtside failures` report, and the entities behind one of its
// counts (processor × category).
import type { IsoDate } from '../../core/dates.js';
import { failuresReport } from '../../engine/reports.js';
import type { ProcessorDefinition } from '../../processors/processor.js';
import type { Row, Warehouse } from '../../warehouse/warehouse.js';

export interface FailuresView {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly processor: string | null;
  readonly by_category: Row[];
  readonly top_reasons: Row[];
  /** Present when a processor and a category are chosen. */
  readonly entities: { readonly processor_name: string; readonly category: string; readonly total: number; readonly rows: Row[] } | null;
}

export const TOP_REASONS = 15;
export const MAX_ENTITIES = 500;

export async function loadFailures(wh: Warehouse, from: IsoDate, to: IsoDate, processor: ProcessorDefinition | undefined, category: string | undefined): Promise<FailuresView> {
  const report = await failuresReport(wh, from, to, processor?.processorName, TOP_REASONS);
  let entities: FailuresView['entities'] = null;
  if (processor && category) {
    const params = { processor: processor.processorName, category, from, to, limit: MAX_ENTITIES };
    const where = `processor_name = $processor AND failure_category = $category AND analysis_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`;
    const [total] = await wh.query<{ n: number }>(`SELECT count(DISTINCT entity_id) AS n FROM nba_processing.precompute_failures WHERE ${where}`, params);
    const rows = await wh.query(
      `SELECT entity_id, count(*) AS dates, sum(occurrence_count) AS occurrences,
       sum(CASE WHEN is_expected THEN 1 ELSE 0 END) AS expected, sum(CASE WHEN is_expected THEN 0 ELSE 1 END) AS real,
       min(analysis_date) AS first_date, max(analysis_date) AS last_date, min(failure_reason) AS example_reason
FROM nba_processing.precompute_failures WHERE ${where}
GROUP BY entity_id ORDER BY dates DESC, entity_id LIMIT $limit`,
      params,
    );
    entities = { processor_name: processor.processorName, category, total: total?.n ?? 0, rows };
  }
  return { from, to, processor: processor?.processorName ?? null, by_category: report.byCategory, top_reasons: report.topReasons, entities };
}
