// courtside daily [--date D]: the nightly loop for one date (default: today in US/Eastern) — fetch,
// incremental ingest, Phase 4, the day's report, notifications. Heavy modules load in the action.
import type { Command } from 'commander';

interface DailyFlags {
  readonly date?: string;
  readonly skipFetch?: boolean;
  readonly lookback?: string;
  readonly landing?: string;
}

export function registerDaily(program: Command): void {
  program
    .command('daily')
    .description("nightly loop: fetch yesterday's finals and today's slate, ingest them, build Phase 4 for today, report and notify")
    .option('--date <date>', 'the slate date (default: today in US/Eastern)')
    .option('--skip-fetch', 'use only what is already in the landing folder')
    .option('--lookback <days>', 'days before the date whose unfinished games are looked for again (default: nightly.lookbackDays, 3)')
    .option('--landing <dir>', 'landing folder (default: COURTSIDE_LANDING_DIR, else nightly.landingDir, else ./landing)')
    .action(async (flags: DailyFlags, command: Command) => {
      const { parseIsoDate, todayIn } = await import('../../core/dates.js');
      const { UsageError } = await import('../../core/errors.js');
      const { loadConfig } = await import('../../engine/config.js');
      const { loadFeedConfig } = await import('../../fetch/feed-config.js');
      const { runDailyLoop } = await import('../../daily/run-daily-loop.js');
      const { PROCESSORS } = await import('../../processors/index.js');
      const { globalOptions, setExitCode, withWarehouse } = await import('../context.js');
      const { refuseCsv } = await import('../format.js');
      const { resolve } = await import('node:path');
      const date = parseIsoDate(flags.date ?? todayIn('America/New_York'), '--date');
      refuseCsv(globalOptions(command).format, 'daily prints a report, not a table: --format csv has none to print (use --format table for its text, or --format json for the report as one document)');
      const engine = loadConfig();
      let feed = loadFeedConfig();
      if (flags.landing) feed = { ...feed, landingDir: resolve(flags.landing) };
      if (flags.lookback !== undefined) {
        const n = Number(flags.lookback);
        if (!Number.isInteger(n) || n < 0 || n > 30) throw new UsageError(`--lookback must be an integer 0..30, got '${flags.lookback}'`);
        feed = { ...feed, lookbackDays: n };
      }
      await withWarehouse(command, 'create', async (wh, g) => {
        const result = await runDailyLoop(wh, {
          date,
          feed,
          engine,
          processors: PROCESSORS,
          skipFetch: flags.skipFetch === true,
          log: (l) => process.stderr.write(`${l}\n`),
        });
        process.stdout.write(g.format === 'json' ? `${JSON.stringify(result.report, null, 2)}\n` : `${result.text}\n`);
        setExitCode(result.exitCode);
      });
    });
}
