// The read and maintenance commands on BigQuery: `coverage`, `failures`, `runs`, `registry
// pending|alias|reprocess`, `report`, `evaluate`, `reset` and `sql` run in-process with `--warehouse
// bigquery://…` against the fake REST server (on a copy of the season so far through Nov 7, Phase 4
// and pred built). Every query, DML and script they sent is analyzed by ZetaSQL as BigQuery would
// receive it. (`serve` is not supported on BigQuery: README.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seasonSoFar } from '../daily/testing/season-so-far.js';
import { runCli } from '../testing/cli.js';
import type { TempWarehouse } from '../testing/memory-warehouse.js';
import { pointCliAtFakeBigQuery } from '../warehouse/bigquery/testing/cli-env.js';
import { FakeBigQuery } from '../warehouse/bigquery/testing/fake-bigquery-server.js';
import { catalogOf, recordBigQuery, unanalyzable } from '../warehouse/bigquery/testing/record-bigquery.js';
import { ZetaSql } from '../warehouse/bigquery/zetasql/zetasql-server.js';

const SCHEMAS = ['nba_raw', 'nba_reference', 'nba_analytics', 'nba_precompute', 'nba_predictions', 'nba_processing', 'nba_staging'];

describe('commands on BigQuery: every statement analyzed by ZetaSQL', () => {
  let season: TempWarehouse;
  let fake: FakeBigQuery;
  let zeta: ZetaSql;
  let restoreEnv = () => {};

  before(async () => {
    [season, zeta] = await Promise.all([seasonSoFar('2021-11-07', { backfill: true }), ZetaSql.start()]);
    await season.release();
    fake = await FakeBigQuery.start({ duckdbPath: season.path });
    // A sportsbook's misspelling, pending: alias resolves it, reprocess rebuilds its date's contexts.
    await fake.sql(`INSERT INTO nba_processing.registry_failures (player_lookup, raw_name, game_date, processor_name, season, created_at, occurrence_count, run_id)
      VALUES ('treyyoung', 'Trey Young', DATE '2021-11-05', 'UpcomingPlayerGameContextProcessor', '2021-22', TIMESTAMP '2021-11-05 12:00:00', 1, 'fixture')`);
    restoreEnv = pointCliAtFakeBigQuery(fake.url);
  });
  after(async () => {
    restoreEnv();
    zeta?.stop();
    await fake?.stop();
    await season?.cleanup();
  });

  it('each command succeeds and each statement it sent analyzes', { timeout: 900_000 }, async (t) => {
    const commands = [
      ['coverage', '--from', '2021-10-19', '--to', '2021-11-07'],
      ['failures', '--from', '2021-10-19', '--to', '2021-11-07', '--top', '5'],
      ['failures', '--from', '2021-10-19', '--to', '2021-11-07', '--processor', 'pdc'],
      ['runs', '--limit', '5'],
      ['runs', '--run', 'fixture_backfill'],
      ['registry', 'pending'],
      ['registry', 'alias', 'Trey Young', '--to', 'traeyoung'],
      ['report', '--date', '2021-11-07'],
      ['evaluate', '--from', '2021-11-01', '--to', '2021-11-07'],
      ['reset', '--from', '2021-11-07', '--to', '2021-11-07', '--processors', 'pred'],
      ['registry', 'reprocess'],
      ['sql', 'SELECT count(*) AS n FROM nba_analytics.player_game_summary'],
    ];
    const outcomes: string[] = [];
    let reprocessed: unknown;
    const sent = await recordBigQuery(async () => {
      for (const args of commands) {
        const r = await runCli(['--format', 'json', ...args]);
        outcomes.push(`${args.slice(0, 2).join(' ')}: ${r.code}${r.code === 0 ? '' : ` ${r.err.split('\n').slice(0, 3).join(' | ')}`}`);
        if (args[1] === 'reprocess' && r.code === 0) reprocessed = JSON.parse(r.out);
      }
    });
    t.diagnostic(outcomes.join('\n'));
    const tables = await catalogOf(fake, SCHEMAS, sent);
    const failures = await unanalyzable(zeta, sent, tables);
    t.diagnostic(`${sent.length} statements analyzed`);
    assert.ok(sent.length >= 20 && fake.jobCount >= sent.length - 1, `${sent.length} statements, ${fake.jobCount} jobs`);
    assert.deepEqual(failures, []);
    assert.deepEqual(outcomes.filter((o) => !/: 0$/.test(o)), []);
    // The reprocess ran its downstream through the engine on BigQuery: from the rebuilt date to the last
    // partition stored, which rebuilt (at least) the predictions of Nov 7 that `reset` removed before it.
    const [row] = reprocessed as Record<string, string>[];
    assert.equal(row?.['status'], 'REPROCESSED');
    assert.match(String(row?.['downstream']), /^run registry-reprocess_\S+ 2021-11-05\.\.2021-11-07: success, [1-9]\d* partitions? rebuilt$/);
    const marked = await fake.sql(`SELECT count(*)::INT AS n FROM nba_processing.registry_failures WHERE player_lookup = 'treyyoung' AND reprocessed_at IS NOT NULL`);
    assert.deepEqual(marked, [{ n: 1 }]);
  });
});
