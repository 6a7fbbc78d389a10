// Configuration of the nightly loop: where the feeds are, where their responses land, how politely
// we ask. The "nightly" section of courtside.config.json (the same file as the engine's), with
// environment variables on top so the odds API key can stay out of files.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { envSetting } from '../core/env.js';
import { UsageError } from '../core/errors.js';

export interface HttpPolicy {
  /** Per attempt, headers and body together. */
  readonly timeoutMs: number;
  /** Total attempts including the first. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this fails the request instead of stalling the night. */
  readonly maxRetryAfterMs: number;
  /** Minimum gap between two requests to the same host. */
  readonly minIntervalMs: number;
  readonly userAgent: string;
}

export interface FeedConfig {
  readonly landingDir: string;
  /** stats.nba.com's API root; playbyplayv3 lives under it. */
  readonly nbaStatsBaseUrl: string;
  /** The league schedule (scheduleLeagueV2 shape). */
  readonly nbaScheduleUrl: string;
  readonly oddsApiBaseUrl: string;
  /** No key: odds are not fetched (and the report says so). */
  readonly oddsApiKey: string | undefined;
  readonly oddsSport: string;
  readonly oddsRegions: string;
  /** Player markets fetched per event (The Odds API keys, e.g. player_points). */
  readonly oddsPlayerMarkets: readonly string[];
  /** Bookmaker preference when an event has several: first listed wins; unlisted ones follow in response order. */
  readonly bookmakers: readonly string[];
  readonly http: HttpPolicy;
  /** Days before the run's date whose unfinished games `daily` looks for again. */
  readonly lookbackDays: number;
}

export const DEFAULT_USER_AGENT = 'courtside/0.1.0 (NBA player-points data pipeline; nightly fetch; +https://github.com/courtside)';

export const DEFAULT_FEED_CONFIG: FeedConfig = {
  landingDir: './landing',
  nbaStatsBaseUrl: 'https://stats.nba.com/stats',
  nbaScheduleUrl: 'https://cdn.nba.com/static/json/staticData/scheduleLeagueV2.json',
  oddsApiBaseUrl: 'https://api.the-odds-api.com',
  oddsApiKey: undefined,
  oddsSport: 'basketball_nba',
  oddsRegions: 'us',
  oddsPlayerMarkets: ['player_points'],
  bookmakers: ['draftkings', 'fanduel', 'pointsbetus', 'betmgm', 'williamhill_us'],
  http: {
    timeoutMs: 30_000,
    attempts: 5,
    baseDelayMs: 1_000,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 120_000,
    minIntervalMs: 1_000,
    userAgent: DEFAULT_USER_AGENT,
  },
  lookbackDays: 3,
};

const url = z.string().regex(/^https?:\/\//, 'must be an http(s) URL');

const NightlySchema = z.strictObject({
  landingDir: z.string().min(1).optional(),
  nbaStatsBaseUrl: url.optional(),
  nbaScheduleUrl: url.optional(),
  oddsApiBaseUrl: url.optional(),
  oddsApiKey: z.string().min(1).optional(),
  oddsSport: z.string().min(1).optional(),
  oddsRegions: z.string().min(1).optional(),
  oddsPlayerMarkets: z.array(z.string().min(1)).optional(),
  bookmakers: z.array(z.string().min(1)).optional(),
  lookbackDays: z.number().int().min(0).max(30).optional(),
  http: z
    .strictObject({
      timeoutSeconds: z.number().positive().optional(),
      attempts: z.number().int().min(1).optional(),
      baseDelayMs: z.number().min(0).optional(),
      maxDelayMs: z.number().min(0).optional(),
      maxRetryAfterSeconds: z.number().min(0).optional(),
      minIntervalMs: z.number().min(0).optional(),
      userAgent: z.string().min(1).optional(),
    })
    .optional(),
});

function configPath(cwd: string, env: NodeJS.ProcessEnv): string {
  return env['COURTSIDE_CONFIG'] ? resolve(env['COURTSIDE_CONFIG']) : resolve(cwd, 'courtside.config.json');
}

function readSection(path: string): z.infer<typeof NightlySchema> {
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const section = (raw as { nightly?: unknown } | null)?.nightly;
  if (section === undefined) return {};
  const parsed = NightlySchema.safeParse(section);
  if (!parsed.success) throw new UsageError(`${path}: ${parsed.error.issues.map((i) => `nightly.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function envUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = envSetting(env, name);
  if (v === undefined) return undefined;
  if (!/^https?:\/\//.test(v)) throw new UsageError(`${name} must be an http(s) URL, got '${v}'`);
  return v;
}

/** The nightly configuration: defaults ← courtside.config.json "nightly" ← environment. */
export function loadFeedConfig(options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}): FeedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const f = readSection(configPath(cwd, env));
  const d = DEFAULT_FEED_CONFIG;
  const h = f.http ?? {};
  const key = env['COURTSIDE_ODDS_API_KEY'] || f.oddsApiKey;
  return {
    landingDir: resolve(cwd, env['COURTSIDE_LANDING_DIR'] || f.landingDir || d.landingDir),
    nbaStatsBaseUrl: envUrl(env, 'COURTSIDE_NBA_STATS_URL') ?? f.nbaStatsBaseUrl ?? d.nbaStatsBaseUrl,
    nbaScheduleUrl: envUrl(env, 'COURTSIDE_NBA_SCHEDULE_URL') ?? f.nbaScheduleUrl ?? d.nbaScheduleUrl,
    oddsApiBaseUrl: envUrl(env, 'COURTSIDE_ODDS_API_URL') ?? f.oddsApiBaseUrl ?? d.oddsApiBaseUrl,
    oddsApiKey: key || undefined,
    oddsSport: f.oddsSport ?? d.oddsSport,
    oddsRegions: f.oddsRegions ?? d.oddsRegions,
    oddsPlayerMarkets: f.oddsPlayerMarkets ?? d.oddsPlayerMarkets,
    bookmakers: f.bookmakers ?? d.bookmakers,
    lookbackDays: f.lookbackDays ?? d.lookbackDays,
    http: {
      timeoutMs: h.timeoutSeconds !== undefined ? h.timeoutSeconds * 1000 : d.http.timeoutMs,
      attempts: h.attempts ?? d.http.attempts,
      baseDelayMs: h.baseDelayMs ?? d.http.baseDelayMs,
      maxDelayMs: h.maxDelayMs ?? d.http.maxDelayMs,
      maxRetryAfterMs: h.maxRetryAfterSeconds !== undefined ? h.maxRetryAfterSeconds * 1000 : d.http.maxRetryAfterMs,
      minIntervalMs: h.minIntervalMs ?? d.http.minIntervalMs,
      userAgent: h.userAgent ?? d.http.userAgent,
    },
  };
}
