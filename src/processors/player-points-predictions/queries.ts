// The predictions processor's SQL, assembled from player-points-predictions.sql: the placeholders
// are filled from the model's design (design.ts) — names and constants from code, never data.
import { COMPONENTS, INTERCEPT, MLFS_CONTEXT_FEATURES, MODEL_VERSION, TERMS } from '../../predictions/design.js';
import { FEATURE_NAMES, FEATURE_VERSION } from '../ml-feature-store/features.js';
import { readFileSync } from 'node:fs';
import { composeSql, expandIncludes, sharedFragments, splitSqlSections, stagedQueries, type StagedQueries } from '../sql-file.js';

/**
 * The one place that indexes MLFS's `features` array, by its 1-based position: DuckDB's `features[n]`,
 * BigQuery's `features[SAFE_ORDINAL(n)]` (the dialect piece array_at).
 */
export function mlfsFeatureAt(column: string, name: string): string {
  const index = (FEATURE_NAMES as readonly string[]).indexOf(name);
  if (index < 0) throw new Error(`MLFS has no feature '${name}' in ${FEATURE_VERSION}`);
  return `{{array_at(${column}, ${index + 1})}}`;
}

function fill(sql: string): string {
  const values: Record<string, string> = {
    feature_version: FEATURE_VERSION,
    model_version: MODEL_VERSION,
    mlfs_feature_columns: MLFS_CONTEXT_FEATURES.map((f) => `${mlfsFeatureAt('m.features', f.name)} AS mlfs_${f.name}`).join(',\n         '),
    mlfs_feature_names: MLFS_CONTEXT_FEATURES.map((f) => `m.mlfs_${f.name}`).join(', '),
    mlfs_feature_defaults: MLFS_CONTEXT_FEATURES.map((f) => `coalesce(mlfs_${f.name}, ${f.fallback}) AS ${f.name}`).join(',\n         '),
    term_columns: TERMS.map((t) => `${t.sql} AS ${t.name}`).join(',\n       '),
    coefficient_columns: COMPONENTS.flatMap((c) =>
      [INTERCEPT, ...TERMS.map((t) => t.name)].map((term) => `max(CASE WHEN c.component = '${c}' AND c.term = '${term}' THEN c.coefficient END) AS ${c}__${term}`),
    ).join(',\n         '),
    points_predictor: `CASE WHEN k = 0 THEN ${predictor('first_game_points')} ELSE ${predictor('points')} END`,
    minutes_predictor: `CASE WHEN k = 0 THEN ${predictor('first_game_minutes')} ELSE ${predictor('minutes')} END`,
  };
  return sql.replaceAll(/\{\{([a-z_]+)\}\}/g, (whole, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`player-points-predictions.sql: unknown placeholder ${whole}`);
    return v;
  });
}

/** The linear predictor of a component: the intercept plus each stored coefficient times its term. */
function predictor(component: string): string {
  return [`c.${component}__${INTERCEPT}`, ...TERMS.map((t) => `c.${component}__${t.name} * (${t.sql})`)].join('\n           + ');
}

export interface PredictionQueries {
  readonly computeSql: string;
  readonly failuresSql: string;
  readonly staged: StagedQueries;
  /** The design matrix and outcomes of the played games in [$from, $to], ordered by date and player. */
  readonly trainingSql: string;
}

export function predictionQueries(): PredictionQueries {
  const raw = readFileSync(new URL('./player-points-predictions.sql', import.meta.url), 'utf8');
  const sections = splitSqlSections(fill(expandIncludes(raw, sharedFragments())));
  const candidates = composeSql(sections, 'targets', 'features');
  const predictionSections = { candidates, compute: composeSql(sections, 'compute'), failures: composeSql(sections, 'failures') };
  return {
    computeSql: composeSql(predictionSections, 'candidates', 'compute'),
    failuresSql: composeSql(predictionSections, 'candidates', 'failures'),
    staged: stagedQueries(predictionSections),
    trainingSql: composeSql(sections, 'training-targets', 'features', 'training'),
  };
}
