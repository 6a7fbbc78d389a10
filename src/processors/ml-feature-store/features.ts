// The MLFS feature vector: names in their fixed order. The order is the contract with every model
// trained on this table, so it only ever grows at the end, with a new feature_version.
export const FEATURE_NAMES = [
  // v1 baseline (prior art's v1_baseline_25), recent_trend sign fixed: positive = improving
  'points_avg_last_5', 'points_avg_last_10', 'points_avg_season', 'points_std_last_10', 'games_in_last_7_days',
  'fatigue_score', 'shot_zone_mismatch_score', 'pace_score', 'usage_spike_score',
  'rest_advantage', 'injury_risk', 'recent_trend', 'minutes_change',
  'opponent_def_rating', 'opponent_pace',
  'home_away', 'back_to_back', 'playoff_game',
  'pct_paint', 'pct_mid_range', 'pct_three', 'pct_free_throw',
  'team_pace', 'team_off_rating', 'team_win_pct',
  // v2 additions our data supports (no opening line, so no vegas_opening_line / vegas_line_move)
  'vegas_points_line', 'has_vegas_line', 'avg_points_vs_opponent', 'games_vs_opponent',
  'minutes_avg_last_10', 'ppm_avg_last_10',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

export const FEATURE_VERSION = `v2_${FEATURE_NAMES.length}features`;

export type FeatureSource = 'phase4' | 'phase3' | 'calculated' | 'default';

/**
 * The features a Phase 4 row (PDC, PCF, PSZA, TDZA) can supply. `data_source` measures the Phase 4
 * share over these only: the line and the matchup history exist in Phase 3 alone, so counting them
 * made 'phase4' unreachable even for a row with every Phase 4 input.
 */
export const PHASE4_FEATURES: readonly FeatureName[] = [
  'points_avg_last_5', 'points_avg_last_10', 'points_avg_season', 'points_std_last_10', 'games_in_last_7_days',
  'fatigue_score', 'shot_zone_mismatch_score', 'pace_score', 'usage_spike_score',
  'opponent_def_rating', 'opponent_pace', 'pct_paint', 'pct_mid_range', 'pct_three',
  'team_pace', 'team_off_rating', 'minutes_avg_last_10', 'ppm_avg_last_10',
];

/** Weights of the quality score (prior art): a feature's weight by where its value came from. */
export const SOURCE_WEIGHTS: Readonly<Record<FeatureSource, number>> = { phase4: 100, phase3: 75, calculated: 100, default: 40 };

/**
 * The sum of the terms, parenthesised as a balanced tree: 31 terms nest 5 deep, not 31 (a left-deep sum
 * nests the analyzer's resolved tree past what a protobuf reader accepts).
 */
export function balancedSum(terms: readonly string[]): string {
  if (terms.length === 0) throw new Error('balancedSum of no terms');
  if (terms.length === 1) return terms[0] as string;
  const half = Math.ceil(terms.length / 2);
  return `(${balancedSum(terms.slice(0, half))} + ${balancedSum(terms.slice(half))})`;
}

/** A source expression's count over the features: one term per feature, so no list function is needed. */
function countOf(condition: (src: string) => string): string {
  return balancedSum(FEATURE_NAMES.map((n) => `CASE WHEN ${condition(`${n}__src`)} THEN 1 ELSE 0 END`));
}

/**
 * Fills the {{feature_*}} and per-source placeholders of the SQL with expressions over the columns in
 * FEATURE_NAMES order: array literals (each value rounded to 4 dp on NUMERIC, then a FLOAT64 element, the
 * column being DOUBLE[] / ARRAY<FLOAT64>), and sums of one term per feature for the counts and the quality
 * weights — the same text on both engines, no list function or lambda. Only identifiers from the list
 * above and the weights of SOURCE_WEIGHTS are inserted, never data.
 */
export function expandFeatureLists(sql: string): string {
  checkPhase4Features(sql);
  const values = `[${FEATURE_NAMES.map((n) => `{{float64(round(CAST(${n} AS NUMERIC(18, 9)), 4))}}`).join(', ')}]`;
  const names = `[${FEATURE_NAMES.map((n) => `'${n}'`).join(', ')}]`;
  const sources = `[${FEATURE_NAMES.map((n) => `${n}__src`).join(', ')}]`;
  const weights = Object.entries(SOURCE_WEIGHTS).map(([source, weight]) => `WHEN '${source}' THEN ${weight}`).join(' ');
  const weightSum = balancedSum(FEATURE_NAMES.map((n) => `CASE ${n}__src ${weights} END`));
  return sql
    .replaceAll('{{feature_values}}', values)
    .replaceAll('{{feature_names}}', names)
    .replaceAll('{{feature_sources}}', sources)
    .replaceAll('{{feature_count}}', String(FEATURE_NAMES.length))
    .replaceAll('{{source_weight_sum}}', weightSum)
    .replaceAll('{{phase4_count}}', countOf((src) => `${src} = 'phase4'`))
    .replaceAll('{{phase3_count}}', countOf((src) => `${src} = 'phase3'`))
    .replaceAll('{{default_count}}', countOf((src) => `${src} = 'default'`))
    .replaceAll('{{sourced_count}}', countOf((src) => `${src} <> 'calculated'`))
    .replaceAll('{{feature_version}}', FEATURE_VERSION)
    .replaceAll('{{phase4_feature_count}}', String(PHASE4_FEATURES.length));
}

/**
 * PHASE4_FEATURES must be exactly the features whose source expression (the line `... AS <name>__src`)
 * can say 'phase4'; a drift is a programming error, thrown at import. SQL without feature sources
 * (e.g. the failures query) is not checked.
 */
export function checkPhase4Features(sql: string): void {
  const lines = sql.split('\n');
  for (const name of FEATURE_NAMES) {
    const line = lines.find((l) => l.includes(` AS ${name}__src`));
    if (line === undefined) continue;
    const canBePhase4 = line.includes("'phase4'");
    if (canBePhase4 !== PHASE4_FEATURES.includes(name)) {
      throw new Error(`MLFS feature ${name}: its source ${canBePhase4 ? 'can' : 'cannot'} be phase4, but PHASE4_FEATURES says otherwise`);
    }
  }
}
