// Engine configuration: courtside.config.json (optional; COURTSIDE_CONFIG names another file) with
// environment variables on top, so secrets like the webhook URL can stay out of files.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z as Zod } from 'zod';
import { zod } from '../core/lazy-module.js';
import { envSetting } from '../core/env.js';
import { UsageError } from '../core/errors.js';
import { PROCESSORS } from '../processors/index.js';
import type { ProcessorKey } from '../processors/processor.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { emailSink, type SmtpConfig } from './notify/email-sink.js';
import type { NotificationSink } from './notify/event.js';
import { DEFAULT_SEND_TIMEOUT_MS } from './notify/deadline.js';
import { DEFAULT_RATE_LIMIT, NotificationPolicy, type RateLimit } from './notify/policy.js';
import { slackSink } from './notify/slack-sink.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import type { RunMode } from './types.js';

// Built when there is a file to validate: most runs have none and never load zod.
const fileSchema = (z: typeof Zod) => z.strictObject({
  // Read by src/warehouse/bigquery/bigquery-config.ts (which warehouse, and BigQuery's settings).
  warehouse: z.string().optional(),
  bigquery: z.record(z.string(), z.unknown()).optional(),
  timeoutSeconds: z.strictObject({ backfill: z.number().positive().optional(), daily: z.number().positive().optional() }).optional(),
  retry: z.strictObject({ attempts: z.number().int().min(1).optional(), baseDelayMs: z.number().min(0).optional(), maxDelayMs: z.number().min(0).optional() }).optional(),
  // Every threshold is a count of games, rows, teams or days.
  thresholds: z.record(z.string(), z.record(z.string(), z.number().int().min(0))).optional(),
  notifications: z
    .strictObject({
      slackWebhookUrl: z.string().optional(),
      smtp: z.strictObject({ url: z.string(), from: z.string(), to: z.union([z.string(), z.array(z.string())]) }).optional(),
      rateLimit: z.strictObject({ maxPerWindow: z.number().int().min(0).optional(), windowMinutes: z.number().positive().optional() }).optional(),
      timeoutSeconds: z.number().positive().optional(),
    })
    .optional(),
  // The nightly loop's feeds and landing folder: validated by src/fetch/feed-config.ts.
  nightly: z.unknown().optional(),
});
type ConfigFile = Zod.infer<ReturnType<typeof fileSchema>>;

export interface EngineConfig {
  readonly timeoutMs: Readonly<Record<RunMode, number>>;
  readonly retry: RetryPolicy;
  readonly thresholds: Readonly<Partial<Record<ProcessorKey, Readonly<Record<string, number>>>>>;
  readonly slackWebhookUrl?: string;
  readonly smtp?: SmtpConfig;
  readonly rateLimit: RateLimit;
  /** Deadline of each Slack or e-mail send (default 5 s). */
  readonly notifyTimeoutMs: number;
}

function numberEnv(env: NodeJS.ProcessEnv, name: string, kind: 'non-negative' | 'positive' | 'non-negative integer' = 'non-negative'): number | undefined {
  const raw = envSetting(env, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (kind === 'positive' && n === 0) || (kind === 'non-negative integer' && !Number.isInteger(n))) {
    throw new UsageError(`${name} must be a ${kind === 'non-negative integer' ? 'whole number, 0 or more' : `${kind} number`}, got '${raw}'`);
  }
  return n;
}

/** Threshold overrides naming a processor or a threshold that does not exist: a typo would otherwise change nothing, silently. */
function unknownThresholds(thresholds: Readonly<Record<string, Readonly<Record<string, number>>>>): string[] {
  const issues: string[] = [];
  for (const [key, values] of Object.entries(thresholds)) {
    const p = PROCESSORS.find((x) => x.key === key);
    if (!p) {
      issues.push(`thresholds.${key}: unknown processor (use ${PROCESSORS.map((x) => x.key).join(', ')})`);
      continue;
    }
    const names = Object.keys(p.thresholds);
    for (const name of Object.keys(values)) {
      if (!names.includes(name)) issues.push(`thresholds.${key}.${name}: ${key} has no such threshold (it has ${names.join(', ') || 'none'})`);
    }
  }
  return issues;
}

/**
 * A processor that explains another's shortfall carries a copy of its threshold, named after it
 * (pdc's and pcf's `psza_min_games` is psza's `min_games`): an override of the original applies to
 * the copies too, unless the file sets a copy itself.
 */
function withDerivedThresholds(thresholds: Readonly<Record<string, Readonly<Record<string, number>>>>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = Object.fromEntries(Object.entries(thresholds).map(([k, v]) => [k, { ...v }]));
  for (const [key, values] of Object.entries(thresholds)) {
    for (const [name, value] of Object.entries(values)) {
      const copy = `${key}_${name}`;
      for (const q of PROCESSORS) {
        if (q.key === key || !(copy in q.thresholds) || thresholds[q.key]?.[copy] !== undefined) continue;
        out[q.key] = { ...out[q.key], [copy]: value };
      }
    }
  }
  return out;
}

export function loadConfig(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): EngineConfig {
  const env = options.env ?? process.env;
  const configEnv = envSetting(env, 'COURTSIDE_CONFIG');
  const path = configEnv !== undefined ? resolve(configEnv) : resolve(options.cwd ?? process.cwd(), 'courtside.config.json');
  let file: ConfigFile = {};
  if (existsSync(path)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new UsageError(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const parsed = fileSchema(zod().z).safeParse(raw);
    if (!parsed.success) throw new UsageError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    file = parsed.data;
    const unknown = unknownThresholds(file.thresholds ?? {});
    if (unknown.length > 0) throw new UsageError(`${path}: ${unknown.join('; ')}`);
  } else if (configEnv !== undefined) {
    throw new UsageError(`COURTSIDE_CONFIG names a missing file: ${path}`);
  }
  const n = file.notifications;
  // Checked at start: a URL the sink cannot use would otherwise fail only after the run, as a warning.
  // The message names the setting, never the value (a webhook path or an SMTP password is a secret).
  const urlWithScheme = (value: string | undefined, schemes: readonly string[], where: string) => {
    if (!value) return;
    let protocol = '';
    try {
      protocol = new URL(value).protocol;
    } catch {
      // reported below
    }
    if (!schemes.includes(protocol)) throw new UsageError(`${where} must be a URL starting with ${schemes.map((x) => `${x}//`).join(' or ')} (the value is not shown: it may hold a secret)`);
  };
  // An empty variable is unset (src/core/env.ts): `COURTSIDE_SLACK_WEBHOOK_URL=` keeps the file's Slack.
  const slackEnv = envSetting(env, 'COURTSIDE_SLACK_WEBHOOK_URL');
  const smtpUrlEnv = envSetting(env, 'COURTSIDE_SMTP_URL');
  const slack = slackEnv ?? n?.slackWebhookUrl;
  const smtpUrl = smtpUrlEnv ?? n?.smtp?.url;
  urlWithScheme(slack, ['https:', 'http:'], slackEnv !== undefined ? 'COURTSIDE_SLACK_WEBHOOK_URL' : `${path}: notifications.slackWebhookUrl`);
  urlWithScheme(smtpUrl, ['smtp:', 'smtps:'], smtpUrlEnv !== undefined ? 'COURTSIDE_SMTP_URL' : `${path}: notifications.smtp.url`);
  const smtpFrom = envSetting(env, 'COURTSIDE_SMTP_FROM') ?? n?.smtp?.from ?? 'courtside@localhost';
  const toRaw = envSetting(env, 'COURTSIDE_SMTP_TO') ?? n?.smtp?.to;
  const smtpTo = (Array.isArray(toRaw) ? toRaw : (toRaw ?? '').split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
  if (smtpUrl && smtpTo.length === 0) throw new UsageError('SMTP is configured but COURTSIDE_SMTP_TO (or notifications.smtp.to) is empty');
  const windowMinutes = numberEnv(env, 'COURTSIDE_NOTIFY_WINDOW_MINUTES', 'positive') ?? n?.rateLimit?.windowMinutes;
  const notifyTimeoutSeconds = numberEnv(env, 'COURTSIDE_NOTIFY_TIMEOUT_SECONDS') ?? n?.timeoutSeconds;
  if (notifyTimeoutSeconds === 0) throw new UsageError('COURTSIDE_NOTIFY_TIMEOUT_SECONDS must be a positive number of seconds, got 0');
  return {
    timeoutMs: {
      backfill: (file.timeoutSeconds?.backfill ?? 60) * 1000,
      daily: (file.timeoutSeconds?.daily ?? 300) * 1000,
    },
    retry: { ...DEFAULT_RETRY, ...file.retry },
    thresholds: withDerivedThresholds(file.thresholds ?? {}) as EngineConfig['thresholds'],
    ...(slack ? { slackWebhookUrl: slack } : {}),
    ...(smtpUrl ? { smtp: { url: smtpUrl, from: smtpFrom, to: smtpTo } } : {}),
    rateLimit: {
      maxPerWindow: numberEnv(env, 'COURTSIDE_NOTIFY_MAX_PER_WINDOW', 'non-negative integer') ?? n?.rateLimit?.maxPerWindow ?? DEFAULT_RATE_LIMIT.maxPerWindow,
      windowMs: windowMinutes !== undefined ? windowMinutes * 60_000 : DEFAULT_RATE_LIMIT.windowMs,
    },
    notifyTimeoutMs: notifyTimeoutSeconds !== undefined ? notifyTimeoutSeconds * 1000 : DEFAULT_SEND_TIMEOUT_MS,
  };
}

export function configuredSinks(c: EngineConfig): NotificationSink[] {
  return [...(c.slackWebhookUrl ? [slackSink(c.slackWebhookUrl)] : []), ...(c.smtp ? [emailSink(c.smtp, c.notifyTimeoutMs)] : [])];
}

/**
 * The notifier for one run: console always, plus the configured Slack and e-mail sinks. A caller
 * that prints the run summary itself passes `echoSummary: false`, so that it is printed once.
 */
export function createNotifier(wh: Warehouse, c: EngineConfig, mode: RunMode, runId: string, log?: (line: string) => void, options: { readonly echoSummary?: boolean } = {}): NotificationPolicy {
  return new NotificationPolicy(wh, configuredSinks(c), { mode, runId, rateLimit: c.rateLimit, sendTimeoutMs: c.notifyTimeoutMs, ...(log ? { log } : {}), ...options });
}
