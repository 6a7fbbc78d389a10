// courtside sql: runs one statement on the read-only, sandboxed warehouse and prints its rows.
import type { Command } from 'commander';
import { CourtsideError, QueryTimeoutError, UsageError } from '../../core/errors.js';
import { parsePositive } from '../../engine/present.js';
import type { SqlFlags } from '../commands/sql.js';
import { DEFAULT_QUERY_TIMEOUT_MS, withWarehouse } from '../context.js';
import { formatRows } from '../format.js';
import { NO_STATEMENT, isBlankSql } from '../../warehouse/ad-hoc-text.js';

export async function sql(query: string, flags: SqlFlags, command: Command): Promise<void> {
  const seconds = parsePositive(flags.timeout, '--timeout', false);
  const timeoutMs = seconds !== undefined ? seconds * 1000 : DEFAULT_QUERY_TIMEOUT_MS;
  // Before the warehouse opens, on either engine: neither says that an empty text was the problem.
  if (isBlankSql(query)) throw new UsageError(NO_STATEMENT);
  await withWarehouse(command, 'read', async (wh, g) => {
    const rows = await wh.readOnlyQuery(query, { timeoutMs }).catch((err: unknown) => {
      if (!(err instanceof QueryTimeoutError)) throw err;
      // Exit 1: the query was valid and ran; it just did not finish in time.
      throw new CourtsideError('QUERY_TIMEOUT', `the query ran past the ${timeoutMs / 1000} s timeout and was cancelled (raise --timeout, or narrow the query)`, 1, { cause: err });
    });
    process.stdout.write(`${formatRows(rows, g.format)}\n`);
  });
}
