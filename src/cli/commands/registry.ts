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
    .description('rebuild the dates of RESOLVED failures and mark them REPROCESSED')
    .action(async (_flags: unknown, command: Command) => (await import('../actions/registry.js')).reprocess(command));
}
