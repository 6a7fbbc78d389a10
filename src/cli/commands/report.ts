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
          // say why: no game that day, a built but empty partition, or predictions not built yet (only then does building help)
          const [day] = await wh.query<{ games: number; status: string | null }>(
            `SELECT (SELECT count(*) FROM nba_reference.game_dates WHERE game_date = CAST($date AS DATE)) AS games,
                    (SELECT max(status) FROM nba_processing.partition_status
                     WHERE processor_name = 'PlayerPointsPredictionProcessor' AND partition_date = CAST($date AS DATE)) AS status`,
            { date },
          );
          if (!day || Number(day.games) === 0) throw new CourtsideError('NO_PREDICTIONS', `no predictions for ${date}: no game is scheduled that day in this warehouse`, 2);
          if (day.status === 'complete' || day.status === 'bootstrap_empty') {
            throw new CourtsideError('NO_PREDICTIONS', `no predictions for ${date}: its predictions are built and empty (no player had a game before it, e.g. the first night of the first season loaded)`, 2);
          }
          throw new CourtsideError('NO_PREDICTIONS', `no predictions for ${date}: build them with \`courtside run --date ${date}\` or \`courtside backfill --from ${date} --to ${date}\``, 2);
        }
        process.stdout.write(`${formatRows(rows, g.format)}\n`);
      });
    });
}
