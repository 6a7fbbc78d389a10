// courtside fetch --date D | --from D --to D [--force] [--no-odds]: download the day's feeds into
// the landing folder (schedule, final games' play-by-play, and with an API key the slate's odds).
// Heavy modules load inside the action, so other commands do not pay for them.
import type { Command } from 'commander';

interface FetchFlags {
  readonly date?: string;
  readonly from?: string;
  readonly to?: string;
  readonly force?: boolean;
  readonly odds?: boolean;
  readonly landing?: string;
}

export function registerFetch(program: Command): void {
  program
    .command('fetch')
    .description('download play-by-play, the league schedule and (with an odds API key) odds into the landing folder')
    .option('--date <date>', 'game date (YYYY-MM-DD)')
    .option('--from <date>', 'first date of a range')
    .option('--to <date>', 'last date of a range, inclusive')
    .option('--force', 'ask again for files already landed complete')
    .option('--no-odds', 'do not fetch odds even when an API key is configured')
    .option('--landing <dir>', 'landing folder (default: COURTSIDE_LANDING_DIR, else nightly.landingDir, else ./landing)')
    .action(async (flags: FetchFlags, command: Command) => {
      const { dateRange } = await import('../date-flags.js');
      const { loadFeedConfig } = await import('../../fetch/feed-config.js');
      const { fetchDates } = await import('../../fetch/fetch-dates.js');
      const { globalOptions, setExitCode } = await import('../context.js');
      const { formatRows } = await import('../format.js');
      const { resolve } = await import('node:path');
      const dates = dateRange(flags);
      const loaded = loadFeedConfig();
      const config = flags.landing ? { ...loaded, landingDir: resolve(flags.landing) } : loaded;
      const g = globalOptions(command);
      const summary = await fetchDates({
        config,
        dates,
        oddsDates: flags.odds === false ? [] : dates,
        force: flags.force === true,
        log: (l) => process.stderr.write(`${l}\n`),
      });
      const rows = summary.files.map((f) => ({ source: f.source, date: f.date, file: f.file, outcome: f.outcome, detail: f.detail ?? '' }));
      process.stdout.write(`${formatRows(g.format === 'json' ? [summary as unknown as Record<string, unknown>] : rows, g.format)}\n`);
      const pending = summary.dates.flatMap((d) => d.notFinal.map((x) => `${x.gameId} (${d.date}, ${x.statusText})`));
      process.stderr.write(
        `fetched into ${config.landingDir}: ${summary.requests} requests, schedule ${summary.schedule.source}` +
          `${pending.length > 0 ? `; not final yet: ${pending.join(', ')}` : ''}; odds ${summary.oddsConfigured ? 'configured' : 'not configured'}\n`,
      );
      if (summary.files.some((f) => f.outcome === 'failed')) setExitCode(1);
    });
}
