// `registry reprocess` rebuilds everything downstream of the dates it rebuilds (SYSTEM.md §2), on the
// real 2021-22 season with Phase 4 and the predictions built: a sportsbook wrote Seth Curry's line of
// 2021-11-08 as 'Sethh Curry' (PENDING, his context of that date has no line), the season's first
// twelve weeks were backfilled, then the operator aliases the name and reprocesses. Afterwards
// nothing is stale, the tables are what a --force rebuild gives, and a failed downstream leaves the
// failures RESOLVED until a rerun finishes it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays } from '../../core/dates.js';
import { planBackfill, runBackfill } from '../../engine/run.js';
import { PROCESSORS } from '../../processors/index.js';
import { runCli as run } from '../../testing/cli.js';
import { tempWarehouse, type TempWarehouse } from '../../testing/memory-warehouse.js';
import { realSeasonCopy } from '../../testing/real-season.js';
import { tableHash } from '../../testing/table-hash.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { rebuildUpcomingPlayerContext } from '../phase3/build-phase3.js';
import { PROP_LINES_PROCESSOR, addManualAlias, recordUnresolvedPropNames, reprocessResolved } from './index.js';

// The opener to the first Sunday of 2022: enough weeks for every table to fill (TDZA starts once each
// team has 15 games) and for weekly refits after DATE; the whole season proves nothing more and took
// twice as long.
const SEASON = { from: '2021-10-19', to: '2022-01-09' };
const DATE = '2021-11-08'; // Seth Curry (203552) has a points line of 15.5 that day
/** The first refit whose training window (the days before it) holds DATE, a Monday: the Monday after. */
const NEXT_REFIT = addDays(DATE, 7);
/** The reprocess's downstream range as its messages print it (a regular expression): DATE to the last date built. */
const RANGE = `${DATE}\\.\\.${SEASON.to}`;
const SETH = '203552';
const OUTPUTS = [...PROCESSORS.map((p) => p.outputTable), 'nba_predictions.points_model_fits', 'nba_predictions.points_model_coefficients', 'nba_predictions.points_model_residuals'];
const NAME_OF = new Map(PROCESSORS.map((p) => [p.key, p.processorName]));

/** Every Phase 4 and prediction table (the fits' time of fitting differs by design). */
async function outputs(wh: Warehouse): Promise<Record<string, { rows: number; hash: string }>> {
  const out: Record<string, { rows: number; hash: string }> = {};
  for (const t of OUTPUTS) out[t] = await tableHash(wh, t, 'true', ['fitted_at']);
  return out;
}

/** The dates with games in from..to (each has a prediction partition). */
async function gameDates(wh: Warehouse, from: string, to: string): Promise<string[]> {
  const rows = await wh.query<{ d: string }>(
    `SELECT DISTINCT CAST(game_date AS VARCHAR) AS d FROM nba_reference.schedule WHERE game_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) ORDER BY 1`,
    { from, to },
  );
  return rows.map((r) => r.d);
}

/** What a default backfill of the season would build now, as "ProcessorName date". */
async function stale(wh: Warehouse): Promise<string[]> {
  const p = await planBackfill(wh, PROCESSORS, SEASON);
  return p.plan.partitions.map((x) => `${NAME_OF.get(x.processor)} ${x.date}`).sort();
}

const statuses = (wh: Warehouse) =>
  wh.query<{ status: string }>(
    `SELECT CASE WHEN resolved_at IS NULL THEN 'PENDING' WHEN reprocessed_at IS NULL THEN 'RESOLVED' ELSE 'REPROCESSED' END AS status
     FROM nba_processing.registry_failures WHERE player_lookup = 'sethhcurry'`,
  );

/** Opens the file (which the CLI left closed), runs `work`, closes it again. */
async function withFile<T>(path: string, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await DuckDBWarehouse.open(path);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

describe('registry reprocess rebuilds the downstream of the dates it rebuilds (real 2021-22, Phase 4 and predictions built)', () => {
  let base: TempWarehouse;
  /** The tables after the alias, with Phase 3 rebuilt and then everything forced. */
  let forced: Record<string, { rows: number; hash: string }>;

  before(async () => {
    base = await realSeasonCopy(['2021-22']);
    await base.wh.exec(`UPDATE nba_raw.player_prop_lines SET player_name = 'Sethh Curry' WHERE player_name = 'Seth Curry' AND game_date = CAST($d AS DATE)`, { d: DATE });
    await base.wh.transaction(async (tx) => {
      await rebuildUpcomingPlayerContext(tx, { dates: [DATE], runId: 'misspelt' });
      await recordUnresolvedPropNames(tx, 'misspelt', { playerMarkets: true });
    });
    const built = await runBackfill(base.wh, PROCESSORS, SEASON);
    assert.equal(built.status, 'success');
    await base.release();

    const ref = await tempWarehouse(base.path);
    try {
      await ref.wh.transaction((tx) => addManualAlias(tx, 'Sethh Curry', SETH));
      await reprocessResolved(ref.wh, { runId: 'ref', rebuilders: { [PROP_LINES_PROCESSOR]: rebuildUpcomingPlayerContext }, downstream: 'skip' });
      assert.equal((await runBackfill(ref.wh, PROCESSORS, { ...SEASON, force: true })).status, 'success');
      forced = await outputs(ref.wh);
    } finally {
      await ref.cleanup();
    }
  });
  after(async () => base?.cleanup());

  it('rebuilds exactly the partitions the Phase 3 rebuild made stale, leaves none, equals --force, and only then says REPROCESSED', async () => {
    const t = await tempWarehouse(base.path);
    try {
      await t.release();
      const aliased = await run(['--db', t.path, 'registry', 'alias', 'Sethh Curry', '--to', SETH]);
      assert.equal(aliased.code, 0, aliased.err);

      // --phase3-only: the contexts now, the downstream left (stale), the failure still RESOLVED.
      const p3 = await run(['--db', t.path, '--format', 'json', 'registry', 'reprocess', '--phase3-only']);
      assert.equal(p3.code, 0, p3.err);
      assert.deepEqual(JSON.parse(p3.out), [{
        processor_name: PROP_LINES_PROCESSOR, failures: 1, dates_rebuilt: 1, dates: DATE,
        status: 'RESOLVED (Phase 3 rebuilt; downstream not rebuilt: --phase3-only)',
        downstream: 'skipped (--phase3-only): the next backfill rebuilds it, a reprocess then marks these REPROCESSED',
      }]);
      const { planned, laterGameDates } = await withFile(t.path, async (wh) => {
        assert.deepEqual(await statuses(wh), [{ status: 'RESOLVED' }]);
        return { planned: await stale(wh), laterGameDates: await gameDates(wh, NEXT_REFIT, SEASON.to) };
      });
      // The affected date's partitions and the later predictions that train on its MLFS rows: every
      // prediction from the next refit on (its training window holds DATE), to the end of the range.
      assert.ok(planned.includes(`PlayerCompositeFactorsProcessor ${DATE}`) && planned.includes(`MLFeatureStoreProcessor ${DATE}`), planned.join('\n'));
      assert.ok(planned.every((x) => (x.split(' ')[1] ?? '') >= DATE), 'nothing before the affected date');
      const laterPredictions = planned.filter((x) => x.startsWith('PlayerPointsPredictionProcessor ') && (x.split(' ')[1] ?? '') >= NEXT_REFIT);
      assert.ok(laterGameDates.length > 0);
      assert.deepEqual(laterPredictions, laterGameDates.map((d) => `PlayerPointsPredictionProcessor ${d}`), 'the later predictions');

      const re = await run(['--db', t.path, '--format', 'json', 'registry', 'reprocess']);
      assert.equal(re.code, 0, re.err);
      const [row] = JSON.parse(re.out) as Record<string, string>[];
      assert.equal(row?.['status'], 'REPROCESSED');
      const m = new RegExp(`^run (registry-reprocess_\\S+) ${RANGE}: success, (\\d+) partitions rebuilt$`).exec(String(row?.['downstream']));
      assert.ok(m, String(row?.['downstream']));
      const runId = m[1] as string;
      assert.equal(Number(m[2]), planned.length);

      await withFile(t.path, async (wh) => {
        assert.deepEqual(await statuses(wh), [{ status: 'REPROCESSED' }]);
        // Exactly the stale partitions, by the reprocess's run, recorded as a backfill's run.
        const byRun = await wh.query<{ p: string }>(
          `SELECT processor_name || ' ' || CAST(partition_date AS VARCHAR) AS p FROM nba_processing.partition_status WHERE run_id = $run_id ORDER BY 1`,
          { run_id: runId },
        );
        assert.deepEqual(byRun.map((r) => r.p), planned);
        const [history] = await wh.query(`SELECT command, mode, status FROM nba_processing.run_history WHERE run_id = $run_id`, { run_id: runId });
        assert.deepEqual(history, { command: 'registry reprocess', mode: 'backfill', status: 'success' });
        assert.deepEqual(await stale(wh), [], 'no stale partition left');
        const [line] = await wh.query(
          `SELECT current_points_line AS line FROM nba_analytics.upcoming_player_game_context WHERE universal_player_id = 203552 AND game_date = CAST($d AS DATE)`,
          { d: DATE },
        );
        assert.deepEqual(line, { line: 15.5 });
        const now = await outputs(wh);
        assert.ok(PROCESSORS.every((p) => (now[p.outputTable]?.rows ?? 0) > 1000));
        assert.deepEqual(now, forced, 'the same tables as a --force rebuild');
        // The affected date's rows (TDZA has none yet that early: fewer than 15 games per team).
        for (const p of PROCESSORS.filter((x) => x.key !== 'tdza')) assert.ok((await tableHash(wh, p.outputTable, `${p.dateColumn} = DATE '${DATE}'`)).rows > 0, `${p.key} has rows on ${DATE}`);
      });

      // Nothing left: a second reprocess has nothing to do.
      const again = await run(['--db', t.path, 'registry', 'reprocess']);
      assert.equal(again.out, 'nothing to reprocess (no RESOLVED failures)\n');
    } finally {
      await t.cleanup();
    }
  });

  it('a failed downstream leaves the failures RESOLVED (exit 1, what to do on stderr); a rerun resumes and finishes it', async () => {
    const t = await tempWarehouse(base.path);
    try {
      // PCF's output table replaced by a view of itself: its batch fails (DuckDB deletes from base tables only).
      await t.wh.exec('ALTER TABLE nba_precompute.player_composite_factors RENAME TO pcf_held');
      await t.wh.exec('CREATE VIEW nba_precompute.player_composite_factors AS SELECT * FROM nba_precompute.pcf_held');
      await t.release();
      const aliased = await run(['--db', t.path, 'registry', 'alias', 'Sethh Curry', '--to', SETH]);
      assert.equal(aliased.code, 0, aliased.err);

      // The run notifies as a backfill does: one summary to the configured Slack webhook (a server here).
      const posts: string[] = [];
      const slack = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => (posts.push(body), res.writeHead(200).end('ok')));
      });
      await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
      process.env['COURTSIDE_SLACK_WEBHOOK_URL'] = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/hook`;
      const failed = await run(['--db', t.path, '--format', 'json', 'registry', 'reprocess']).finally(() => {
        delete process.env['COURTSIDE_SLACK_WEBHOOK_URL'];
        slack.close();
      });
      assert.equal(failed.code, 1, failed.err);
      assert.equal(posts.length, 1);
      const text = String((JSON.parse(posts[0] ?? '{}') as { text?: string }).text);
      assert.match(text, new RegExp(`courtside backfill ${RANGE}: partial \\(3 failed partitions`));
      assert.match(text, /run registry-reprocess_\S+\n/);
      assert.match(text, /pcf 2021-11-08 failed PROCESSING_ERROR/);
      const [row] = JSON.parse(failed.out) as Record<string, string>[];
      assert.equal(row?.['status'], 'RESOLVED (Phase 3 rebuilt; downstream failed)');
      assert.match(String(row?.['downstream']), new RegExp(`^run registry-reprocess_\\S+ ${RANGE}: partial, \\d+ partitions rebuilt, 3 failed or skipped$`));
      assert.match(failed.err, /courtside: 1 failure stays RESOLVED: the rebuild downstream did not succeed .*see `courtside runs --run registry-reprocess_\S+`\)\. Once the cause is fixed, rerun `courtside registry reprocess`/);
      const firstRun = await withFile(t.path, async (wh) => {
        assert.deepEqual(await statuses(wh), [{ status: 'RESOLVED' }]);
        const bad = await wh.query(
          `SELECT processor_name, status, run_id FROM nba_processing.partition_status WHERE status NOT IN ('complete', 'bootstrap_empty') ORDER BY 1`,
        );
        assert.deepEqual(bad.map((r) => `${r['processor_name']} ${r['status']}`), [
          'MLFeatureStoreProcessor skipped_upstream', 'PlayerCompositeFactorsProcessor failed', 'PlayerPointsPredictionProcessor skipped_upstream',
        ]);
        const [h] = await wh.query<{ status: string; run_id: string }>(`SELECT status, run_id FROM nba_processing.run_history WHERE command = 'registry reprocess'`);
        assert.equal(h?.status, 'partial');
        // The cause is fixed.
        await wh.exec('DROP VIEW nba_precompute.player_composite_factors');
        await wh.exec('ALTER TABLE nba_precompute.pcf_held RENAME TO player_composite_factors');
        return h?.run_id as string;
      });

      const resumed = await run(['--db', t.path, '--format', 'json', 'registry', 'reprocess']);
      assert.equal(resumed.code, 0, resumed.err);
      const [done] = JSON.parse(resumed.out) as Record<string, string>[];
      assert.equal(done?.['status'], 'REPROCESSED');
      await withFile(t.path, async (wh) => {
        assert.deepEqual(await statuses(wh), [{ status: 'REPROCESSED' }]);
        // What the first run completed stays its own: the same contexts again change no fingerprint.
        const [psza] = await wh.query(`SELECT run_id FROM nba_processing.partition_status WHERE processor_name = 'PlayerShotZoneAnalysisProcessor' AND partition_date = DATE '${DATE}'`);
        assert.equal(psza?.['run_id'], firstRun);
        assert.deepEqual(await stale(wh), []);
        assert.deepEqual(await outputs(wh), forced);
      });
    } finally {
      await t.cleanup();
    }
  });

  it('does not start a processor that was never built: with no predictions stored, none are built', async () => {
    const t = await tempWarehouse(base.path);
    try {
      await t.release();
      const reset = await run(['--db', t.path, 'reset', '--from', SEASON.from, '--to', SEASON.to, '--processors', 'pred']);
      assert.equal(reset.code, 0, reset.err);
      assert.equal((await run(['--db', t.path, 'registry', 'alias', 'Sethh Curry', '--to', SETH])).code, 0);
      const re = await run(['--db', t.path, '--format', 'json', 'registry', 'reprocess']);
      assert.equal(re.code, 0, re.err);
      const [row] = JSON.parse(re.out) as Record<string, string>[];
      assert.equal(row?.['status'], 'REPROCESSED');
      await withFile(t.path, async (wh) => {
        const [pred] = await wh.query(`SELECT count(*)::INT AS n FROM nba_processing.partition_status WHERE processor_name = 'PlayerPointsPredictionProcessor'`);
        assert.deepEqual(pred, { n: 0 });
        const [h] = await wh.query<{ arguments: string }>(`SELECT arguments FROM nba_processing.run_history WHERE command = 'registry reprocess'`);
        assert.deepEqual(JSON.parse(h?.arguments ?? '{}'), { from: DATE, to: SEASON.to, processors: ['psza', 'tdza', 'pdc', 'pcf', 'mlfs'] });
        // Phase 4 itself is left with nothing stale.
        const p4 = await planBackfill(wh, PROCESSORS, { ...SEASON, processors: ['psza', 'tdza', 'pdc', 'pcf', 'mlfs'] });
        assert.deepEqual(p4.plan.partitions, []);
      });
    } finally {
      await t.cleanup();
    }
  });

  it('after --phase3-only and a backfill, a reprocess finds the downstream up to date: it marks the failures and records no run', async () => {
    const t = await tempWarehouse(base.path);
    try {
      await t.release();
      assert.equal((await run(['--db', t.path, 'registry', 'alias', 'Sethh Curry', '--to', SETH])).code, 0);
      assert.equal((await run(['--db', t.path, 'registry', 'reprocess', '--phase3-only'])).code, 0);
      const backfill = await run(['--db', t.path, 'backfill', '--from', SEASON.from, '--to', SEASON.to]);
      assert.equal(backfill.code, 0, backfill.err);
      const re = await run(['--db', t.path, '--format', 'csv', 'registry', 'reprocess']);
      assert.equal(re.code, 0, re.err);
      assert.equal(re.out, `processor_name,failures,dates_rebuilt,dates,status,downstream\n${PROP_LINES_PROCESSOR},1,1,${DATE},REPROCESSED,${DATE}..${SEASON.to} up to date\n`);
      await withFile(t.path, async (wh) => {
        assert.deepEqual(await statuses(wh), [{ status: 'REPROCESSED' }]);
        assert.deepEqual(await wh.query(`SELECT run_id FROM nba_processing.run_history WHERE command = 'registry reprocess'`), []);
      });
    } finally {
      await t.cleanup();
    }
  });
});
