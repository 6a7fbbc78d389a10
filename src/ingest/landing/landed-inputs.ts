// What the landing folder holds for one game date, and its fingerprint: the date's games as the
// newest schedule copy lists them, plus every landed file the ingest would read (by checksum).
// Same fingerprint as the last successful ingest → nothing new to ingest.
import { createHash } from 'node:crypto';
import type { IsoDate } from '../../core/dates.js';
import { landedEntry, readManifest, type LandingSource } from '../../fetch/landing-store.js';
import { newestSchedule } from '../../fetch/newest-schedule.js';
import type { ScheduledGame } from './schedule-feed.js';

export interface LandedFile {
  readonly source: LandingSource;
  readonly file: string;
  readonly path: string;
  readonly sha256: string;
  readonly fetchedAt: string;
}

export interface LandedInputs {
  readonly date: IsoDate;
  readonly schedulePath: string | null;
  readonly games: readonly ScheduledGame[];
  /** Play-by-play of the games the schedule calls final, by game id. */
  readonly playByPlay: ReadonlyMap<string, LandedFile>;
  readonly gameLines: LandedFile | null;
  readonly props: readonly LandedFile[];
  readonly fingerprint: string;
  /** Of the lines only (game lines and props files): the date's own pre-game inputs besides its schedule. */
  readonly linesFingerprint: string;
}

/**
 * Files of a source and date that came back HTTP 200 (truncated ones included: they must fail
 * loudly), but not a well-formed answer the fetch judged incomplete (a final game's play-by-play
 * short of its final score): that game is missing until a later fetch lands it whole, unless
 * `incomplete` (ingest --force: the operator takes the feed's word).
 */
function landedFiles(root: string, source: LandingSource, date: IsoDate, incomplete = false): LandedFile[] {
  const m = readManifest(root, source, date);
  return Object.keys(m.files)
    .sort()
    .flatMap((file) => {
      const landed = landedEntry(root, source, date, file);
      if (!landed || landed.entry.status !== 200) return [];
      if (landed.entry.validJson && !landed.entry.complete && !incomplete) return [];
      return [{ source, file, path: landed.path, sha256: landed.entry.sha256, fetchedAt: landed.entry.fetchedAt }];
    });
}

export function landedInputs(root: string, date: IsoDate, options: { readonly incomplete?: boolean } = {}): LandedInputs {
  const schedule = newestSchedule(root, [date]);
  const games = schedule?.games ?? [];
  const finals = new Set(games.filter((g) => g.state === 'final').map((g) => g.gameId));
  const playByPlay = new Map(
    landedFiles(root, 'nba-pbp', date, options.incomplete === true)
      .filter((f) => finals.has(f.file.replace(/\.json$/, '')))
      .map((f) => [f.file.replace(/\.json$/, ''), f] as const),
  );
  const gameLines = landedFiles(root, 'odds-game-lines', date).find((f) => f.file === 'odds.json') ?? null;
  const props = landedFiles(root, 'odds-player-props', date);
  const h = createHash('sha256');
  h.update(JSON.stringify(games.map((g) => [g.gameId, g.state, g.homeTricode, g.awayTricode, g.homeScore, g.awayScore])));
  for (const f of [...playByPlay.values(), ...(gameLines ? [gameLines] : []), ...props]) h.update(`|${f.source}/${f.file}:${f.sha256}`);
  const lines = createHash('sha256');
  for (const f of [...(gameLines ? [gameLines] : []), ...props]) lines.update(`|${f.source}/${f.file}:${f.sha256}`);
  return { date, schedulePath: schedule?.path ?? null, games, playByPlay, gameLines, props, fingerprint: h.digest('hex'), linesFingerprint: lines.digest('hex') };
}
