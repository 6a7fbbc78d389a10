// courtside report --date D: the day's board — each predicted player with his median and 80%
// interval, and where a points line exists, P(over) and the edge against the no-vig market.
// Sorted by edge where lines exist, then by predicted points.
import type { Command } from 'commander';
import { parseIsoDate } from '../../core/dates.js';
import { CourtsideError } from '../../core/errors.js';
import { withWarehouse } from '../context.js';
import { formatRows } from '../format.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description("the day's predictions board: median, 80% interval, line, P(over), edge, flags")
    .requiredOption('--date <date>', 'game date (YYYY-MM-DD)')
    .action(async (flags: { date: string }, command: Command) => {
      const date = parseIsoDate(flags.date, '--date');
      const { predictionBoard } = await import('../../predictions/board.js');
      await withWarehouse(command, 'read', async (wh, g) => {
        const rows = await predictionBoard(wh, date);
        if (rows.length === 0) {
          throw new CourtsideError('NO_PREDICTIONS', `no predictions for ${date}: build them with \`courtside run --date ${date}\` or \`courtside backfill --from ${date} --to ${date}\``, 2);
        }
        process.stdout.write(`${formatRows(rows, g.format)}\n`);
      });
    });
}
