// The slate of a date: each game, then its players with key features, line and prediction.
import type { Row } from '../../warehouse/warehouse.js';
import { KEY_FEATURES, type SlatePlayer, type SlateView } from '../data/slate.js';
import { href, html, type SafeHtml } from '../html.js';
import { link, num, type Column, table } from '../view.js';

const SHORT: Readonly<Record<(typeof KEY_FEATURES)[number], string>> = {
  points_avg_last_5: 'avg 5',
  points_avg_last_10: 'avg 10',
  points_avg_season: 'avg season',
  points_std_last_10: 'sd 10',
  minutes_avg_last_10: 'min 10',
  fatigue_score: 'fatigue',
  opponent_def_rating: 'opp def rtg',
};

function playerColumns(date: string, withPredictions: boolean): Column<SlatePlayer>[] {
  return [
    { label: 'player', cell: (p) => link(href('/players', [p.player_lookup], { date }), p.player_name, 'player-link') },
    { label: 'team', cell: (p) => p.team_abbr },
    { label: 'rest', cell: (p) => (p.back_to_back ? 'b2b' : num(p.days_rest)), numeric: true },
    ...KEY_FEATURES.map((f): Column<SlatePlayer> => ({ label: SHORT[f], cell: (p) => num(p.features[f], f === 'fatigue_score' ? 0 : 1), numeric: true })),
    { label: 'quality', cell: (p) => num(p.feature_quality_score, 0), numeric: true },
    { label: 'prop line', cell: (p) => num(p.current_points_line, 1), numeric: true },
    ...(withPredictions
      ? [
          { label: 'predicted', cell: (p: SlatePlayer) => (p.prediction ? html`${num(p.prediction.median, 1)} <span class="muted">(${num(p.prediction.q10, 1)}–${num(p.prediction.q90, 1)})</span>` : '–'), numeric: true },
          { label: 'p over', cell: (p: SlatePlayer) => num(p.prediction?.p_over, 2), numeric: true },
          { label: 'edge', cell: (p: SlatePlayer) => num(p.prediction?.edge, 2), numeric: true },
        ]
      : []),
    { label: 'actual', cell: (p) => (p.actual_points === null ? '–' : html`${num(p.actual_points)} <span class="muted">in ${num(p.actual_minutes, 0)} min</span>`), numeric: true },
  ];
}

function gameTitle(g: Row): SafeHtml {
  const score = g['home_points'] === null || g['home_points'] === undefined ? '' : ` ${num(g['away_points'])}–${num(g['home_points'])}`;
  const odds = g['game_total'] === null || g['game_total'] === undefined ? '' : ` · total ${num(g['game_total'], 1)}, spread ${num(g['game_spread'], 1)}`;
  return html`${String(g['away_team_abbr'])} @ ${String(g['home_team_abbr'])}<small>${score}${odds} · ${String(g['game_id'])}</small>`;
}

export function renderSlate(v: SlateView): SafeHtml {
  const withPredictions = v.predictions_note === null;
  const columns = playerColumns(v.date, withPredictions);
  return html`<h1>Slate <small>${v.date}</small></h1>
<form class="range" method="get" action="/slate">
${v.previous_date ? link(href('/slate', [], { date: v.previous_date }), `‹ ${v.previous_date}`) : ''}
<label>Date <input type="date" name="date" value="${v.date}" required></label>
<button type="submit">Show</button>
${v.next_date ? link(href('/slate', [], { date: v.next_date }), `${v.next_date} ›`) : ''}
</form>
<p class="muted">${num(v.games.length)} games, ${num(v.players.length)} players from the pre-game context.
${v.predictions_note ? ` Predictions: ${v.predictions_note}.` : ''}</p>
${v.games.length === 0 ? html`<p class="empty">No games on ${v.date}.</p>` : ''}
${v.games.map(
  (g) => html`<section class="game" data-game="${String(g['game_id'])}"><h2>${gameTitle(g)}</h2>
${table(columns, v.players.filter((p) => p.game_id === g['game_id']), { empty: 'No players in the pre-game context for this game.', className: 'slate' })}</section>`,
)}`;
}
