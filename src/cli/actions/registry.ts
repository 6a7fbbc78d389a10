// courtside registry pending | alias | reprocess.
import type { Command } from 'commander';
import { newRunId } from '../../core/ids.js';
import { PROP_LINES_PROCESSOR, SHARED_NAME_PROCESSOR, addManualAlias, pendingFailures, reprocessResolved, type DateRebuilder } from '../../ingest/registry/index.js';
import { rebuildUpcomingPlayerContext } from '../../ingest/phase3/build-phase3.js';
import { formatRows } from '../format.js';
import { withWarehouse } from '../context.js';

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

export async function alias(name: string, to: string, command: Command): Promise<void> {
  await withWarehouse(command, 'write', async (wh, g) => {
    const r = await wh.transaction((tx) => addManualAlias(tx, name, to));
    const row = { alias_lookup: r.aliasLookup, player_name: r.player.player_name, universal_player_id: r.player.universal_player_id, canonical_lookup: r.player.player_lookup, failures_resolved: r.failuresResolved };
    process.stdout.write(`${formatRows([row], g.format)}\n`);
  });
}

export async function reprocess(command: Command): Promise<void> {
  await withWarehouse(command, 'write', async (wh, g) => {
    const outcomes = await reprocessResolved(wh, { runId: newRunId('registry-reprocess'), rebuilders: REBUILDERS });
    const rows = outcomes.map((o) => ({
      processor_name: o.processorName,
      failures: o.failures,
      dates_rebuilt: o.rebuilt ? o.dates.length : 0,
      dates: o.dates.join(' '),
      status: o.rebuilt ? 'REPROCESSED' : 'RESOLVED (no rebuild for this processor)',
    }));
    if (rows.length === 0 && g.format === 'table') process.stdout.write('nothing to reprocess (no RESOLVED failures)\n');
    else process.stdout.write(`${formatRows(rows, g.format)}\n`);
  });
}
