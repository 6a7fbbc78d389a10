// courtside registry pending | alias NAME --to PLAYER | reprocess: the name-resolution workflow
// (PENDING → RESOLVED → REPROCESSED) over nba_processing.registry_failures.
import type { Command } from 'commander';
import { newRunId } from '../../core/ids.js';
import { PROP_LINES_PROCESSOR, addManualAlias, pendingFailures, reprocessResolved, type DateRebuilder } from '../../ingest/registry/index.js';
import { rebuildUpcomingPlayerContext } from '../../ingest/phase3/build-phase3.js';
import { formatRows } from '../format.js';
import { withWarehouse } from '../context.js';

/**
 * Which Phase 3 rebuild serves each processor's failures. Only the player context reads sportsbook
 * names; PlayerGameSummaryProcessor and GameOddsLoader failures need a full `ingest` (left RESOLVED).
 */
const REBUILDERS: Readonly<Record<string, DateRebuilder>> = { [PROP_LINES_PROCESSOR]: rebuildUpcomingPlayerContext };

export function registerRegistry(program: Command): void {
  const registry = program.command('registry').description('player-name registry: unresolved names, aliases, reprocessing');

  registry
    .command('pending')
    .description('unresolved names (PENDING failures) with suggested registry players')
    .action(async (_opts: unknown, command: Command) => {
      await withWarehouse(command, async (wh, g) => {
        const rows = await pendingFailures(wh);
        process.stdout.write(`${formatRows(rows, g.format, ['lookup', 'raw_name', 'processors', 'dates', 'occurrences', 'first_date', 'last_date', 'suggestions'])}\n`);
      });
    });

  registry
    .command('alias')
    .description('add a manual alias NAME for a registry player and mark its failures RESOLVED')
    .argument('<name>', 'the spelling to resolve, as a source wrote it')
    .requiredOption('--to <player>', 'registry player: person id, player_lookup or display name')
    .action(async (name: string, opts: { to: string }, command: Command) => {
      await withWarehouse(command, async (wh, g) => {
        const r = await wh.transaction((tx) => addManualAlias(tx, name, opts.to));
        const row = { alias_lookup: r.aliasLookup, player_name: r.player.player_name, universal_player_id: r.player.universal_player_id, canonical_lookup: r.player.player_lookup, failures_resolved: r.failuresResolved };
        process.stdout.write(`${formatRows([row], g.format)}\n`);
      });
    });

  registry
    .command('reprocess')
    .description('rebuild the dates of RESOLVED failures and mark them REPROCESSED')
    .action(async (_opts: unknown, command: Command) => {
      await withWarehouse(command, async (wh, g) => {
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
    });
}
