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

/** Weights of the quality score (prior art): a feature's weight by where its value came from. */
export const SOURCE_WEIGHTS: Readonly<Record<FeatureSource, number>> = { phase4: 100, phase3: 75, calculated: 100, default: 40 };

/**
 * Fills the {{feature_*}} placeholders of the SQL with the column lists in FEATURE_NAMES order.
 * Only identifiers from the list above are inserted, never data.
 */
export function expandFeatureLists(sql: string): string {
  const values = `[${FEATURE_NAMES.join(', ')}]`;
  const names = `[${FEATURE_NAMES.map((n) => `'${n}'`).join(', ')}]`;
  const sources = `[${FEATURE_NAMES.map((n) => `${n}__src`).join(', ')}]`;
  return sql.replaceAll('{{feature_values}}', values).replaceAll('{{feature_names}}', names).replaceAll('{{feature_sources}}', sources)
    .replaceAll('{{feature_version}}', FEATURE_VERSION);
}
