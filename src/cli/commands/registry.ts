// courtside registry pending | alias NAME --to PLAYER | reprocess: the name-resolution workflow
// (PENDING → RESOLVED → REPROCESSED) over nba_processing.registry_failures.
import type { Command } from 'commander';

export function registerRegistry(program: Command): void {
  const registry = program.command('registry').description('player-name registry: unresolved names, aliases, reprocessing');

  registry
    .command('pending')
    .description('unresolved names (PENDING failures) with suggested registry players')
    .action(async (_flags: unknown, command: Command) => (await import('../actions/registry.js')).pending(command));

  registry
    .command('alias')
    .description('add a manual alias NAME for a registry player and mark its failures RESOLVED')
    .argument('<name>', 'the spelling to resolve, as a source wrote it')
    .requiredOption('--to <player>', 'registry player: person id, player_lookup or display name')
    .action(async (name: string, flags: { to: string }, command: Command) => (await import('../actions/registry.js')).alias(name, flags.to, command));

  registry
    .command('reprocess')
    .summary('rebuild the dates of RESOLVED failures and everything downstream, then mark them REPROCESSED')
    .description(
      'rebuild the Phase 3 pre-game contexts of the dates of RESOLVED failures, then everything downstream that made stale ' +
        '(a default backfill from the earliest such date to the last partition date stored), and only then mark them REPROCESSED; ' +
        'after a failed downstream they stay RESOLVED and a rerun resumes',
    )
    .option('--phase3-only', 'rebuild the pre-game contexts only: the failures stay RESOLVED until a reprocess finds nothing downstream left to rebuild (e.g. after the next backfill)')
    .action(async (flags: { phase3Only?: boolean }, command: Command) => (await import('../actions/registry.js')).reprocess(flags, command));
}
