// courtside coverage: the coverage report for the range, by default every game date in the warehouse.
import type { Command } from 'commander';
import { checkRange, parseIsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { coverageReport, gameDateRange } from '../../engine/reports.js';
import { PROCESSORS } from '../../processors/index.js';
import type { CoverageFlags } from '../commands/coverage.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

export async function coverage(flags: CoverageFlags, command: Command): Promise<void> {
  await withWarehouse(command, 'read', async (wh, g) => {
    const whole = flags.from !== undefined && flags.to !== undefined ? null : await gameDateRange(wh);
    const from = flags.from ?? whole?.from;
    const to = flags.to ?? whole?.to;
    if (from === undefined || to === undefined) throw new UsageError('no game dates in the warehouse: run `courtside ingest` first, or give --from and --to');
    // One end defaulted: name the end the user gave, and where the other one came from.
    if (flags.from !== undefined) parseIsoDate(flags.from, '--from');
    if (flags.to !== undefined) parseIsoDate(flags.to, '--to');
    if (from > to && flags.from === undefined) throw new UsageError(`--to ${to} is before the warehouse's first game date ${from}: give --from too`);
    if (from > to && flags.to === undefined) throw new UsageError(`--from ${from} is after the warehouse's last game date ${to}: give --to too`);
    const range = checkRange(from, to);
    const rows = await coverageReport(wh, PROCESSORS, range.from, range.to);
    const heading = g.format === 'table' ? `Coverage ${range.from}..${range.to}${whole && !flags.from && !flags.to ? " (the warehouse's game dates)" : ''}\n` : '';
    process.stdout.write(`${heading}${formatRows(rows, g.format)}\n`);
  });
}
