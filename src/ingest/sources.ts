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

function firstExisting(candidates: readonly string[]): string | undefined {
  return candidates.find((c) => existsSync(c));
}

/** Finds a season's files; the play-by-play may be Parquet or CSV (optionally gzipped). */
export function seasonFiles(dataDir: string, season: string): SeasonFiles {
  const seasonYear = parseSeasonLabel(season);
  const pbpCandidates = ['parquet', 'csv', 'csv.gz'].map((ext) => join(dataDir, 'pbp', `pbp_${season}.${ext}`));
  const playByPlay = firstExisting(pbpCandidates);
  if (!playByPlay) throw new UsageError(`no play-by-play for ${season} in ${dataDir} (looked for ${pbpCandidates.join(', ')})`);
  return {
    season,
    seasonYear,
    playByPlay,
    odds: firstExisting([join(dataDir, 'odds', `odds_${season}.csv`)]),
    props: firstExisting(['parquet', 'csv', 'csv.gz'].map((ext) => join(dataDir, 'props', `props_${season}.${ext}`))),
  };
}
