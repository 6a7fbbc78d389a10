// courtside evaluate (--season 2022-23 | --from D --to D): the stored walk-forward predictions
// against what happened and against three baselines, with paired date-block bootstrap intervals,
// interval calibration and the real prop lines. Heavy modules load inside the action.
import type { Command } from 'commander';
import { checkRange, parseSeasonLabel } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { withWarehouse } from '../context.js';
import { checkSection, formatTables } from '../format.js';

interface EvaluateFlags {
  readonly season?: string;
  readonly from?: string;
  readonly to?: string;
  readonly section?: string;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('walk-forward prediction accuracy vs baselines, calibration and real lines (needs the pred partitions of the range)')
    .option('--season <season>', 'a whole season, e.g. 2022-23')
    .option('--from <date>', 'first date (YYYY-MM-DD)')
    .option('--to <date>', 'last date, inclusive')
    .option('--section <name>', 'print one table: counts, accuracy (what --format csv prints by default), paired, calibration or lines')
    .action(async (flags: EvaluateFlags, command: Command) => {
      if (flags.season !== undefined && (flags.from !== undefined || flags.to !== undefined)) throw new UsageError('give --season or --from/--to, not both');
      if (flags.season === undefined && (flags.from === undefined || flags.to === undefined)) throw new UsageError('give --season 2022-23, or both --from and --to');
      checkSection(flags.section, ['counts', 'accuracy', 'paired', 'calibration', 'lines']);
      const season = flags.season === undefined ? undefined : parseSeasonLabel(flags.season);
      const range = flags.season === undefined ? checkRange(flags.from as string, flags.to as string) : undefined;
      const { evaluate } = await import('../../predictions/evaluation/evaluate.js');
      await withWarehouse(command, 'read', async (wh, g) => {
        let from = range?.from;
        let to = range?.to;
        if (season !== undefined) {
          const [r] = await wh.query<{ first: string | null; last: string | null }>(
            `SELECT min(game_date) AS first, max(game_date) AS last FROM nba_reference.game_dates WHERE season_year = $season`,
            { season },
          );
          if (!r?.first || !r.last) throw new UsageError(`season ${flags.season} has no game dates in this warehouse (has \`courtside ingest\` loaded it?)`);
          [from, to] = [r.first, r.last];
        }
        const e = await evaluate(wh, from as string, to as string);
        const { out, note } = formatTables(
          [
            { name: 'counts', title: `Evaluation ${e.from}..${e.to} (model ${e.modelVersions.join(', ') || 'none'}): player-games`, rows: [e.counts] },
            { name: 'accuracy', title: 'Accuracy (points)', rows: e.accuracy },
            { name: 'paired', title: 'Paired MAE difference, model - baseline (95% interval: bootstrap over game dates)', rows: e.paired },
            { name: 'calibration', title: 'Calibration: share of outcomes inside the 50% and 80% intervals', rows: e.calibration },
            { name: 'lines', title: 'Real points lines', rows: e.lines },
          ],
          g.format,
          { main: 'accuracy', section: flags.section, whole: e },
        );
        if (note) process.stderr.write(`courtside: ${note}\n`);
        process.stdout.write(`${out}\n`);
      });
    });
}
