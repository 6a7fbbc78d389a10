// courtside sql: runs the query and prints its rows.
import type { Command } from 'commander';
import { formatRows } from '../format.js';
import { withWarehouse } from '../context.js';

export async function sql(query: string, command: Command): Promise<void> {
  await withWarehouse(command, async (wh, g) => {
    const rows = await wh.readOnlyQuery(query);
    process.stdout.write(`${formatRows(rows, g.format)}\n`);
  });
}
