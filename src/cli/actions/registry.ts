// courtside registry pending | alias | reprocess.
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { newRunId } from '../../core/ids.js';
import { PROP_LINES_PROCESSOR, SHARED_NAME_PROCESSOR, addManualAlias, pendingFailures, reprocessResolved, type DateRebuilder, type Downstream, type ReprocessResult } from '../../ingest/registry/index.js';
import { rebuildUpcomingPlayerContext } from '../../ingest/phase3/build-phase3.js';
import { loadConfig } from '../../engine/config.js';
import { engineDownstream } from '../../engine/rebuild-downstream.js';
import type { RunSummary } from '../../engine/types.js';
import { PROCESSORS } from '../../processors/index.js';
import { printRunSummary, runOutputs } from '../engine-run-output.js';
import { formatRows } from '../format.js';
import { setExitCode, withWarehouse } from '../context.js';

/**
 * Which Phase 3 rebuild serves each processor's failures. Only the player context reads sportsbook
 * names; PlayerGameSummaryProcessor and GameOddsLoader failures need a full `ingest` (left RESOLVED).
 * A shared name settled by an alias has nothing of its own to rebuild (both people's rows are
 * right; the lines by the name are the player context's failures, rebuilt above).
 */
const REBUILDERS: Readonly<Record<string, DateRebuilder>> = {
  [PROP_LINES_PROCESSOR]: rebuildUpcomingPlayerContext,
  [SHARED_NAME_PROCESSOR]: async () => undefined,
};

export async function pending(command: Command): Promise<void> {
  await withWarehouse(command, 'read', async (wh, g) => {
    const rows = await pendingFailures(wh);
    process.stdout.write(`${formatRows(rows, g.format, ['lookup', 'raw_name', 'processors', 'dates', 'occurrences', 'first_date', 'last_date', 'suggestions'])}\n`);
  });
}

/**
 * A person id is matched as a JS number (findRegistryPlayer), exact only up to 2^53 − 1: past it
 * 9007199254740993 would read as 9007199254740992 and alias whoever has that id. Refused before any
 * work, naming the value as given (NBA person ids are far smaller).
 */
function checkPersonId(to: string): void {
  const text = to.trim();
  if (/^\d+$/.test(text) && BigInt(text) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UsageError(
      `--to ${text}: a person id above ${Number.MAX_SAFE_INTEGER} (2^53 − 1) cannot be carried exactly; give the player's player_lookup or display name instead (NBA person ids are far smaller: check the id)`,
    );
  }
}

export async function alias(name: string, to: string, command: Command): Promise<void> {
  checkPersonId(to);
  await withWarehouse(command, 'write', async (wh, g) => {
    const r = await wh.transaction((tx) => addManualAlias(tx, name, to));
    const row = { alias_lookup: r.aliasLookup, player_name: r.player.player_name, universal_player_id: r.player.universal_player_id, canonical_lookup: r.player.player_lookup, failures_resolved: r.failuresResolved };
    process.stdout.write(`${formatRows([row], g.format)}\n`);
  });
}

export interface ReprocessFlags {
  readonly phase3Only?: boolean;
}

/**
 * Phase 3 of the affected dates, then (unless --phase3-only) what that made stale downstream, in the
 * same write session: on DuckDB no other writer can come between the rebuilt contexts and the
 * backfill that reads them, nor between the backfill and the failures marked REPROCESSED.
 */
export async function reprocess(flags: ReprocessFlags, command: Command): Promise<void> {
  const config = loadConfig();
  await withWarehouse(command, 'write', async (wh, g) => {
    const runId = newRunId('registry-reprocess');
    let run: RunSummary | null = null;
    const downstream: Downstream = flags.phase3Only
      ? 'skip'
      : engineDownstream(
          wh,
          PROCESSORS,
          {
            command: 'registry reprocess',
            timeoutMs: config.timeoutMs.backfill,
            retry: config.retry,
            thresholds: config.thresholds,
            ...runOutputs(wh, config, g.db, 'backfill', runId, 'registry reprocess'),
          },
          (d) => (run = d.summary),
        );
    let result: ReprocessResult;
    try {
      result = await reprocessResolved(wh, { runId, rebuilders: REBUILDERS, downstream });
    } catch (err) {
      process.stderr.write('courtside: registry reprocess stopped: its failures stay RESOLVED; rerun `courtside registry reprocess` to resume\n');
      throw err;
    }
    const { outcomes, downstream: done } = result;
    const rows = outcomes.map((o) => ({
      processor_name: o.processorName,
      failures: o.failures,
      dates_rebuilt: o.rebuilt ? o.dates.length : 0,
      dates: o.dates.join(' '),
      status: o.reprocessed ? 'REPROCESSED' : !o.rebuilt ? 'RESOLVED (no rebuild for this processor)' : flags.phase3Only ? 'RESOLVED (Phase 3 rebuilt; downstream not rebuilt: --phase3-only)' : 'RESOLVED (Phase 3 rebuilt; downstream failed)',
      downstream: o.rebuilt ? (done?.detail ?? 'skipped (--phase3-only): the next backfill rebuilds it, a reprocess then marks these REPROCESSED') : '',
    }));
    if (rows.length === 0 && g.format === 'table') process.stdout.write('nothing to reprocess (no RESOLVED failures)\n');
    else process.stdout.write(`${formatRows(rows, g.format)}\n`);
    const summary = run as RunSummary | null;
    // Outside table format the output is the rows above, one document: the run's summary only in a table.
    if (summary) printRunSummary(summary, g.format, g.format === 'table');
    if (done && !done.ok) {
      const n = outcomes.reduce((k, o) => k + (o.rebuilt ? o.failures : 0), 0);
      process.stderr.write(
        `courtside: ${n} failure${n === 1 ? ' stays' : 's stay'} RESOLVED: the rebuild downstream did not succeed (${done.detail}; see \`courtside runs --run ${runId}\`). ` +
          'Once the cause is fixed, rerun `courtside registry reprocess`: it rebuilds the same Phase 3 dates again (the same rows) and only what is still failed or stale downstream.\n',
      );
      setExitCode(summary?.exitCode ?? 1);
    }
  });
}
