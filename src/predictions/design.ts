// The model's design: which MLFS context features it reads, and its terms (the columns of the
// design matrix) as SQL expressions over the feature columns of player-points-predictions.sql.
// The term list is part of the model version: change it and MODEL_VERSION must change too.

/** Version of the points model (terms, fitting and refit schedule). Stored with every fit and prediction. */
export const MODEL_VERSION = 'points_q50_v1';

/**
 * MLFS features the model reads (by name, from feature_names of v2_31features), with the neutral value a
 * row without an MLFS row gets (the bootstrap fortnight has none). A default may name another feature column.
 */
export const MLFS_CONTEXT_FEATURES: readonly { readonly name: string; readonly fallback: string }[] = [
  { name: 'opponent_def_rating', fallback: '112' },
  { name: 'opponent_pace', fallback: '100' },
  { name: 'shot_zone_mismatch_score', fallback: '0' },
  { name: 'pace_score', fallback: '0' },
  { name: 'usage_spike_score', fallback: '0' },
  { name: 'fatigue_score', fallback: '95' },
  { name: 'team_off_rating', fallback: '112' },
  { name: 'avg_points_vs_opponent', fallback: 'coalesce(pts_season, 0)' },
  { name: 'games_vs_opponent', fallback: '0' },
  { name: 'pct_three', fallback: '0.35' },
  { name: 'pct_free_throw', fallback: '0.15' },
];

export interface Term {
  readonly name: string;
  /** SQL over the columns of the `features` CTE (never data: only names and constants from this file). */
  readonly sql: string;
}

/** few = the weight of a small sample: 1 with no games, 1/2 after 5, 1/3 after 10. */
const FEW = '(1.0 / (1 + k / 5.0))';

/** The terms of both components (points median and expected minutes), after the intercept. */
export const TERMS: readonly Term[] = [
  // sample size and recent scoring
  { name: 'log_games', sql: 'ln(1 + k)' },
  { name: 'few_games', sql: 'CASE WHEN k < 5 THEN 1 ELSE 0 END' },
  { name: 'pts_ew90', sql: 'pts_ew90' },
  { name: 'pts_ew70', sql: 'pts_ew70' },
  { name: 'pts_season', sql: 'pts_season' },
  { name: 'pts_l10', sql: 'pts_l10' },
  { name: 'pts_l5', sql: 'pts_l5' },
  { name: 'pts_l3', sql: 'pts_l3' },
  { name: 'sd_l10', sql: 'sd_l10' },
  // minutes, role and rates
  { name: 'min_ew90', sql: 'min_ew90' },
  { name: 'min_ew70', sql: 'min_ew70' },
  { name: 'min_season', sql: 'min_season' },
  { name: 'min_l3', sql: 'min_l3' },
  { name: 'min_l1', sql: 'min_l1' },
  { name: 'ppm_ew90', sql: 'ppm_ew90' },
  { name: 'ppm_season', sql: 'ppm_season' },
  { name: 'min_x_ppm', sql: 'min_ew90 * ppm_ew90' },
  { name: 'min70_x_ppm', sql: 'min_ew70 * ppm_ew90' },
  { name: 'start_l10', sql: 'start_l10' },
  { name: 'start_l1', sql: 'start_l1' },
  { name: 'pts_x_start', sql: 'pts_ew90 * start_l10' },
  { name: 'poss_ew90', sql: 'poss_ew90' },
  { name: 'poss_l10', sql: 'poss_l10' },
  { name: 'usg_l10', sql: 'usg_l10' },
  // the previous season as a prior, strongest while this season's sample is small
  { name: 'prev_pts', sql: 'prev_pts' },
  { name: 'has_prev', sql: 'has_prev' },
  { name: 'prev_pts_x_few', sql: `prev_pts * ${FEW}` },
  { name: 'prev_min_x_few', sql: `prev_min * ${FEW}` },
  { name: 'pts_season_x_few', sql: `pts_season * ${FEW}` },
  { name: 'prior_gap_x_few', sql: `has_prev * (prev_pts - pts_ew90) * ${FEW}` },
  { name: 'prior_min_gap_x_few', sql: `has_prev * (prev_min - min_ew90) * ${FEW}` },
  // the game's odds: the team's implied total times his share of the team's points, the spread (blowouts)
  { name: 'share_ew90', sql: 'share_ew90' },
  { name: 'share_x_implied', sql: 'share_ew90 * implied_total' },
  { name: 'share_season_x_implied', sql: 'share_season * implied_total' },
  { name: 'implied_total', sql: 'implied_total' },
  { name: 'spread', sql: 'spread' },
  { name: 'abs_spread', sql: 'abs(spread)' },
  { name: 'pts_x_abs_spread', sql: 'pts_ew90 * abs(spread) / 10' },
  { name: 'pts_x_total', sql: 'pts_ew90 * (game_total - 224) / 10' },
  { name: 'has_odds', sql: 'has_odds' },
  // who is missing: his own recent absences and the minutes and points his team lost in its latest game
  { name: 'played_last', sql: 'played_last' },
  { name: 'missed_last_3', sql: 'missed_last_3' },
  { name: 'missed_x_min', sql: 'missed_last_3 * min_ew90' },
  { name: 'vacated_minutes', sql: 'vacated_minutes' },
  { name: 'vacated_points', sql: 'vacated_points' },
  { name: 'regulars_out', sql: 'regulars_out' },
  { name: 'vacated_x_min', sql: 'vacated_minutes * min_ew90 / 48' },
  { name: 'vacated_x_ppm', sql: 'vacated_minutes * ppm_ew90' },
  { name: 'vacated_x_share', sql: 'vacated_points * share_ew90' },
  { name: 'vacated_share', sql: 'vacated_share' },
  { name: 'vacated_share_x_pts', sql: 'vacated_share * pts_ew90' },
  { name: 'pts_x_vacated', sql: 'pts_ew90 * vacated_minutes / 48' },
  // schedule
  { name: 'home', sql: 'home' },
  { name: 'b2b', sql: 'b2b' },
  { name: 'rest_days', sql: 'rest_days' },
  { name: 'pts_x_b2b', sql: 'pts_ew90 * b2b' },
  { name: 'pts_x_home', sql: 'pts_ew90 * home' },
  // the feature store's context of the game
  { name: 'has_mlfs', sql: 'has_mlfs' },
  { name: 'opponent_def_rating', sql: 'opponent_def_rating' },
  { name: 'pts_x_opponent_def', sql: 'pts_ew90 * (opponent_def_rating - 112) / 10' },
  { name: 'opponent_pace', sql: 'opponent_pace' },
  { name: 'shot_zone_mismatch', sql: 'shot_zone_mismatch_score' },
  { name: 'fatigue_score', sql: 'fatigue_score' },
  { name: 'team_off_rating', sql: 'team_off_rating' },
  { name: 'pts_vs_opponent', sql: '(games_vs_opponent * avg_points_vs_opponent + 3 * pts_ew90) / (games_vs_opponent + 3)' },
  { name: 'pace_score', sql: 'pace_score' },
  { name: 'usage_spike', sql: 'usage_spike_score' },
  { name: 'pts_x_pace_score', sql: 'pts_ew90 * pace_score / 10' },
  { name: 'pts_x_three_share', sql: 'pts_ew90 * pct_three' },
  { name: 'pts_x_free_throw_share', sql: 'pts_ew90 * pct_free_throw' },
];

export const INTERCEPT = 'intercept';

/**
 * Component names in the coefficients table: the fitted points median and expected minutes serve
 * players with at least one game this season; a player's first game of the season (no form yet)
 * takes the first-game rule: his previous season (fixed coefficients, stored like the fitted ones).
 */
export type Component = 'points' | 'minutes' | 'first_game_points' | 'first_game_minutes';
export const COMPONENTS: readonly Component[] = ['points', 'minutes', 'first_game_points', 'first_game_minutes'];
