// `courtside daily`: the nightly loop for one date D. Fetch yesterday's finals (and any unfinished
// game of the look-back days) and D's slate → ingest each changed date incrementally → Phase 4 for
// D through the engine's daily mode (whatever the processor graph holds) → the day's report →
// alerts and one summary through the notification policy. Every step is a run_steps row of the
// run. Idempotent: a second run finds nothing new to fetch, every date unchanged and D's partitions
// complete, so it writes nothing but its own run record and sends nothing.
import { addDays, type IsoDate } from '../core/dates.js';
import { errorMessage } from '../core/errors.js';
import { newRunId } from '../core/ids.js';
import type { EngineConfig } from '../engine/config.js';
import { createNotifier } from '../engine/config.js';
import { finishRun, recordStep, startRun } from '../engine/history.js';
import type { NotificationEvent, Notifier } from '../engine/notify/event.js';
import { planBackfill, runBackfill, runDaily } from '../engine/run.js';
import type { RunSummary } from '../engine/types.js';
import type { FeedConfig } from '../fetch/feed-config.js';
import { fetchDates, type FetchSummary } from '../fetch/fetch-dates.js';
import type { HttpClient } from '../fetch/http-client.js';
import { ingestLandedDate, type LandedDateIngest } from '../ingest/landing/ingest-landed.js';
import type { ProcessorDefinition } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { dailyAlerts } from './daily-alerts.js';
import { renderDailyReport, type DailyReport, type Phase4Outcome } from './daily-report.js';
import { DAILY_REPORT_SECTIONS, type DailyReportSection } from './report-sections.js';

export interface DailyLoopOptions {
  readonly date: IsoDate;
  readonly feed: FeedConfig;
  readonly engine: EngineConfig;
  readonly processors: readonly ProcessorDefinition[];
  readonly runId?: string;
  readonly skipFetch?: boolean;
  readonly client?: HttpClient;
  readonly sections?: readonly DailyReportSection[];
  /** Default: the configured policy (console, Slack, e-mail) in daily mode. */
  readonly notifier?: Notifier;
  readonly log?: (line: string) => void;
}

export interface DailyLoopResult {
  readonly report: DailyReport;
  readonly text: string;
  /** 0 when nothing failed, 1 otherwise. */
  readonly exitCode: 0 | 1;
}

/** Phase 4's own events go to the daily policy; its end-of-run summary is kept for the report instead. */
function forwarding(target: Notifier): Notifier {
  return { event: (e) => target.event(e), finish: async () => undefined };
}

export async function runDailyLoop(wh: Warehouse, o: DailyLoopOptions): Promise<DailyLoopResult> {
  const started = Date.now();
  const runId = o.runId ?? newRunId('daily');
  const log = o.log ?? (() => undefined);
  const D = o.date;
  const notifier = o.notifier ?? createNotifier(wh, o.engine, 'daily', runId, log);
  await startRun(wh, runId, 'daily', { date: D, skipFetch: o.skipFetch === true }, 'daily', new Date(started));
  const step = async (name: string, from: IsoDate, to: IsoDate, status: string, partitions: number, rows: number, t0: number, error: string | null) =>
    recordStep(wh, runId, { processorName: name, from, to, status, partitions, rowsWritten: rows, durationMs: Date.now() - t0, error });

  const lookback = Array.from({ length: o.feed.lookbackDays }, (_, i) => addDays(D, i - o.feed.lookbackDays));
  const finalsDates = [...lookback, addDays(D, -1)].filter((d, i, a) => a.indexOf(d) === i).sort();
  try {
    // 1. fetch
    let fetch: FetchSummary | null = null;
    let fetchError: string | null = null;
    if (!o.skipFetch) {
      const t0 = Date.now();
      try {
        fetch = await fetchDates({ config: o.feed, dates: finalsDates, oddsDates: [D], ...(o.client ? { client: o.client } : {}), log });
        const failed = fetch.files.filter((f) => f.outcome === 'failed');
        const landed = fetch.files.filter((f) => f.outcome === 'new' || f.outcome === 'changed').length;
        await step('fetch', finalsDates[0] ?? D, D, failed.length === 0 ? 'success' : 'partial', landed, 0, t0, failed.length > 0 ? failed.map((f) => `${f.source}/${f.date}/${f.file}: ${f.detail ?? ''}`).join('; ').slice(0, 2000) : null);
      } catch (err) {
        fetchError = errorMessage(err);
        await step('fetch', finalsDates[0] ?? D, D, 'failed', 0, 0, t0, fetchError);
      }
    }

    // 2. incremental ingest, oldest date first (each its own transaction)
    const ingests: LandedDateIngest[] = [];
    for (const date of [...finalsDates, D]) {
      const t0 = Date.now();
      const r = await ingestLandedDate(wh, date, { landingDir: o.feed.landingDir, runId, bookmakers: o.feed.bookmakers, log });
      ingests.push(r);
      if (r.status !== 'nothing_landed') await step('ingest', date, date, r.status, r.games.loaded, r.rowsLoaded, t0, r.error ?? null);
    }
    const changed = ingests.filter((r) => r.status === 'ingested');

    // 3. Phase 4: earlier dates a late game made stale, then today (daily mode: every partition of D)
    const t4 = Date.now();
    const events: NotificationEvent[] = [];
    const relay: Notifier = { event: (e) => events.push(e), finish: async () => undefined };
    const engineOptions = { timeoutMs: o.engine.timeoutMs.daily, retry: o.engine.retry, thresholds: o.engine.thresholds };
    let catchUp: RunSummary | null = null;
    // The look-back window (and anything earlier an ingest may have changed; normally nothing before
    // D: last night's finals reach only today). The engine's partition table then picks what is
    // really missing, failed or stale there — also what an earlier run left so (a catch-up that
    // failed or was interrupted), not only what this run's ingests changed.
    const reach = changed.flatMap((r) => (r.reachesFrom && r.reachesFrom < D ? [r.reachesFrom] : []));
    const from = [...reach, finalsDates[0] ?? D].sort()[0] as IsoDate;
    if (from < D) {
      const range = { from, to: addDays(D, -1) };
      const planned = await planBackfill(wh, o.processors, { ...range, ...engineOptions });
      if (planned.plan.partitions.length > 0) {
        catchUp = await runBackfill(wh, o.processors, { ...range, ...engineOptions, runId: `${runId}_catchup`, command: 'daily', args: { date: D, catchUp: range }, notifier: forwarding(relay) });
      }
    }
    let phase4: Phase4Outcome;
    // Built = nothing of D missing, failed or stale in the partition table: a run that ingested a
    // late game and stopped before rebuilding D leaves D's partitions complete but stale.
    const complete = (await planBackfill(wh, o.processors, { from: D, to: D, ...engineOptions })).plan.partitions.length === 0;
    // D's slate rolled back at its first ingest leaves no games of D in the warehouse: say why, not
    // that D has no games.
    const [slateGames] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM nba_reference.schedule WHERE game_date = CAST($date AS DATE)`, { date: D });
    const slateRolledBack = ingests.find((r) => r.date === D)?.status === 'failed' && (slateGames?.n ?? 0) === 0;
    const notBuilt = `${D}'s slate was rolled back at ingest (see alerts): nothing to build`;
    if (changed.length === 0 && complete && !catchUp) {
      const upToDate = (slateGames?.n ?? 0) > 0 ? `${D} already built` : `no games of ${D} in the warehouse: nothing to build`;
      phase4 = { decision: slateRolledBack ? notBuilt : `up to date (nothing new landed; ${upToDate})`, summary: null, catchUp };
    } else {
      const summary = await runDaily(wh, o.processors, { date: D, ...engineOptions, runId: `${runId}_phase4`, command: 'daily', args: { date: D, parentRun: runId }, notifier: forwarding(relay) });
      const planned = summary.processors.reduce((n, p) => n + p.planned, 0);
      phase4 = { decision: planned > 0 ? 'ran' : slateRolledBack ? notBuilt : `${D} has no scheduled games: nothing to build`, summary, catchUp };
    }
    const p4Failed = [catchUp, phase4.summary].reduce((n, s) => n + (s?.failedPartitions.length ?? 0), 0);
    const p4Rows = [catchUp, phase4.summary].reduce((n, s) => n + (s?.processors.reduce((m, p) => m + p.rowsWritten, 0) ?? 0), 0);
    await step('phase4', catchUp?.from ?? D, D, phase4.summary || catchUp ? (p4Failed === 0 ? 'success' : 'partial') : 'up_to_date', (phase4.summary?.processors.reduce((n, p) => n + p.complete + p.bootstrapEmpty, 0) ?? 0), p4Rows, t4, p4Failed > 0 ? `${p4Failed} failed partitions` : null);

    // 4. the report (with the registered sections) and the alerts
    const t5 = Date.now();
    const alerts = [...dailyAlerts(D, fetch, ingests, { lookbackDays: o.feed.lookbackDays }), ...events];
    const sections = [];
    for (const s of o.sections ?? DAILY_REPORT_SECTIONS) {
      try {
        sections.push({ title: s.title, lines: await s.render(wh, D) });
      } catch (err) {
        sections.push({ title: s.title, lines: [`(section failed: ${errorMessage(err)})`] });
      }
    }
    const landedSomething = (fetch?.files ?? []).some((f) => f.outcome === 'new' || f.outcome === 'changed');
    const failures = alerts.filter((a) => a.severity === 'error').length + (fetchError ? 1 : 0);
    const somethingNew = landedSomething || changed.length > 0 || phase4.summary !== null || catchUp !== null;
    const status: DailyReport['status'] =
      failures > 0 ? (changed.length > 0 || phase4.summary?.status === 'success' ? 'partial' : 'failed') : somethingNew ? 'success' : 'nothing_new';
    const report: DailyReport = {
      date: D,
      runId,
      status,
      fetch,
      fetchError,
      ingests,
      phase4,
      alerts: alerts.map((a) => ({ severity: a.severity, title: a.title, message: a.message })),
      sections,
      durationMs: Date.now() - started,
    };
    const text = renderDailyReport(report);
    await step('report', D, D, 'success', sections.length, 0, t5, null);

    await finishRun(wh, runId, status === 'nothing_new' ? 'success' : status, { report });

    // 5. notifications: alerts always (rate-limited per signature); one summary when the day was built
    // cleanly. Only now, with the run's row recorded (as the engine does): a message names a run that
    // run_history already shows finished, and a slow or dead sink can no longer change what it recorded.
    for (const a of alerts) notifier.event(a);
    if (status === 'success') {
      notifier.event({ type: 'run_summary', severity: 'info', signature: `run_summary|daily|${D}`, title: `courtside daily ${D}: success`, message: text });
    }
    await notifier.finish({ type: 'run_summary', severity: status === 'success' || status === 'nothing_new' ? 'info' : 'error', signature: `run_summary|daily|${D}|console`, title: `courtside daily ${D}: ${status}`, message: `run ${runId}` });
    return { report, text, exitCode: failures > 0 ? 1 : 0 };
  } catch (err) {
    await finishRun(wh, runId, 'failed', { error: errorMessage(err) }).catch(() => undefined);
    throw err;
  }
}
