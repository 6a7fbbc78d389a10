// The incremental half of `courtside ingest`: --date D and/or --landing DIR.
import type { Command } from 'commander';
import { parseIsoDate, type IsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { newRunId } from '../../core/ids.js';
import { finishRun, startRun } from '../../engine/history.js';
import { loadFeedConfig } from '../../fetch/feed-config.js';
import { LANDING_SOURCES, landedDates } from '../../fetch/landing-store.js';
import { ingestLandedDates } from '../../ingest/landing/ingest-landed.js';
import { setExitCode, withWarehouse } from '../context.js';
import { formatRows } from '../format.js';
import { resolve } from 'node:path';

export async function ingestLandedCommand(
  command: Command,
  opts: { readonly date?: string; readonly landing?: string; readonly force?: boolean; readonly seasonOrSource: boolean },
): Promise<void> {
  if (opts.seasonOrSource) throw new UsageError('--date/--landing (incremental) cannot be combined with --season/--source (bulk)');
  const feed = loadFeedConfig();
  const landingDir = opts.landing ? resolve(opts.landing) : feed.landingDir;
  const dates: IsoDate[] = opts.date !== undefined
    ? [parseIsoDate(opts.date, '--date')]
    : [...new Set(LANDING_SOURCES.flatMap((s) => landedDates(landingDir, s)))].sort();
  if (dates.length === 0) throw new UsageError(`nothing landed in ${landingDir}`);
  await withWarehouse(command, 'create', async (wh, g) => {
    const runId = newRunId('ingest');
    await startRun(wh, runId, 'ingest', { dates, landing: landingDir, force: opts.force === true }, 'ingest', new Date());
    const results = await ingestLandedDates(wh, dates, { landingDir, runId, bookmakers: feed.bookmakers, force: opts.force === true, log: (l) => process.stderr.write(`${l}\n`) });
    const failed = results.filter((r) => r.status === 'failed');
    await finishRun(wh, runId, failed.length === 0 ? 'success' : failed.length < results.length ? 'partial' : 'failed', { dates: results });
    const rows = results.map((r) => ({
      date: r.date,
      status: r.status,
      games: r.games.loaded,
      scheduled: r.games.scheduled,
      events: r.rowsLoaded,
      player_games: r.playerGames,
      new_players: r.newPlayers,
      context_dates: r.contextDates,
      game_lines: r.gameLines,
      prop_lines: r.propLines,
      seconds: Math.round(r.durationMs / 100) / 10,
      error: r.error ?? '',
    }));
    process.stdout.write(`${formatRows(g.format === 'json' ? (results as unknown as Record<string, unknown>[]) : rows, g.format)}\n`);
    // Bad input (a file to blame) is exit 2, like the bulk ingest; anything else that failed is 1.
    if (failed.length > 0) setExitCode(failed.some((r) => r.file !== undefined) ? 2 : 1);
  });
}
