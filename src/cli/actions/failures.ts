// courtside failures: the failures report for the range, optionally for one processor.
import type { Command } from 'commander';
import { checkRange } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { parsePositive } from '../../engine/present.js';
import { failuresReport } from '../../engine/reports.js';
import { PROCESSORS } from '../../processors/index.js';
import type { FailuresFlags } from '../commands/failures.js';
import { withWarehouse } from '../context.js';
import { checkSection, formatTables } from '../format.js';

// The columns of FAILURES_BY_CATEGORY_SQL and TOP_REASONS_SQL: the header of an empty CSV table.
const BY_CATEGORY_COLUMNS = ['processor_name', 'failure_category', 'failures', 'expected', 'real', 'dates', 'entities', 'occurrences', 'last_seen_at'];
const TOP_REASONS_COLUMNS = ['processor_name', 'failure_category', 'failure_reason', 'failures', 'first_date', 'last_date'];

export async function failures(flags: FailuresFlags, command: Command): Promise<void> {
  const { from, to } = checkRange(flags.from, flags.to);
  checkSection(flags.section, ['by_category', 'top_reasons']);
  let name: string | undefined;
  if (flags.processor) {
    const p = PROCESSORS.find((x) => x.key === flags.processor || x.processorName === flags.processor);
    if (!p) throw new UsageError(`--processor: unknown '${flags.processor}' (use ${PROCESSORS.map((x) => x.key).join(', ')})`);
    name = p.processorName;
  }
  const top = parsePositive(flags.top, '--top', true) ?? 10;
  await withWarehouse(command, 'read', async (wh, g) => {
    const report = await failuresReport(wh, from, to, name, top);
    const { out, note } = formatTables(
      [
        { name: 'by_category', title: 'Failures by processor and category', rows: report.byCategory, columns: BY_CATEGORY_COLUMNS },
        { name: 'top_reasons', title: 'Top reasons', rows: report.topReasons, columns: TOP_REASONS_COLUMNS },
      ],
      g.format,
      { main: 'by_category', section: flags.section, whole: { by_category: report.byCategory, top_reasons: report.topReasons } },
    );
    if (note) process.stderr.write(`courtside: ${note}\n`);
    process.stdout.write(`${out}\n`);
  });
}
