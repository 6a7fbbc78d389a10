// Where each season's raw files live in a data directory (the bundled data/ or --source DIR).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import { parseSeasonLabel } from '../core/dates.js';

export const BUNDLED_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');
export const BUNDLED_SEASONS = ['2021-22', '2022-23'] as const;

export interface SeasonFiles {
  readonly season: string;          // '2021-22'
  readonly seasonYear: number;      // 2021
  readonly playByPlay: string;
  readonly odds: string | undefined;
  readonly props: string | undefined;
}

/**
 * The one file among `candidates` (the same data in different formats) that exists. Two or more
 * are refused: which one to load would be a guess, and a stale copy would win silently.
 */
function onlyOne(what: string, season: string, candidates: readonly string[]): string | undefined {
  const present = candidates.filter((c) => existsSync(c));
  if (present.length > 1) {
    const named = `${present.slice(0, -1).join(', ')} and ${present[present.length - 1]}`;
    throw new UsageError(`${present.length} ${what} files for ${season}: ${named}; keep exactly one`);
  }
  return present[0];
}

const FORMATS = ['parquet', 'csv', 'csv.gz'] as const;

/** Finds a season's files; the play-by-play and props may be Parquet or CSV (optionally gzipped). */
export function seasonFiles(dataDir: string, season: string): SeasonFiles {
  const seasonYear = parseSeasonLabel(season);
  const pbpCandidates = FORMATS.map((ext) => join(dataDir, 'pbp', `pbp_${season}.${ext}`));
  const playByPlay = onlyOne('play-by-play', season, pbpCandidates);
  if (!playByPlay) throw new UsageError(`no play-by-play for ${season} in ${dataDir} (looked for ${pbpCandidates.join(', ')})`);
  return {
    season,
    seasonYear,
    playByPlay,
    odds: onlyOne('odds', season, [join(dataDir, 'odds', `odds_${season}.csv`)]),
    props: onlyOne('prop-line', season, FORMATS.map((ext) => join(dataDir, 'props', `props_${season}.${ext}`))),
  };
}
