// A player's season chart (points, rolling averages, predictions where they exist), his games, and
// his feature vector on one date with each feature's source.
import type { FeatureRow, PlayerMatch, PlayerView } from '../data/player.js';
import { href, html, jsonScript, type SafeHtml } from '../html.js';
import { link, num, table, yesNo } from '../view.js';

/** What the chart script reads: one x per date (games and predictions), y arrays aligned to it. */
export function chartData(v: PlayerView): Record<string, unknown> {
  const dates = [...new Set([...v.games.map((g) => g.game_date), ...v.predictions.map((p) => p.game_date)])].sort();
  const game = new Map(v.games.map((g) => [g.game_date, g]));
  const pred = new Map(v.predictions.map((p) => [p.game_date, p]));
  return {
    player: v.player.player_name,
    dates,
    points: dates.map((d) => game.get(d)?.points ?? null),
    avg5: dates.map((d) => game.get(d)?.avg_last_5_before ?? null),
    avg10: dates.map((d) => game.get(d)?.avg_last_10_before ?? null),
    predicted: v.predictions.length > 0 ? dates.map((d) => pred.get(d)?.predicted_points_median ?? null) : null,
    q10: v.predictions.length > 0 ? dates.map((d) => pred.get(d)?.points_q10 ?? null) : null,
    q90: v.predictions.length > 0 ? dates.map((d) => pred.get(d)?.points_q90 ?? null) : null,
  };
}

function featureTable(rows: readonly FeatureRow[]): SafeHtml {
  return table<FeatureRow>(
    [
      { label: '#', cell: (f) => f.index, numeric: true },
      { label: 'feature', cell: (f) => f.name },
      { label: 'value', cell: (f) => num(f.value, 3), numeric: true },
      { label: 'source', cell: (f) => html`<span class="src src-${f.source ?? 'none'}">${f.source ?? '–'}</span>` },
    ],
    rows,
    { id: 'feature-vector' },
  );
}

export function renderPlayer(v: PlayerView): SafeHtml {
  const p = v.player;
  const fv = v.feature_vector;
  const games = [...v.games].reverse();
  return html`<p class="crumbs">${link('/players', 'Players')} › ${p.player_name}</p>
<h1 id="player-name">${p.player_name} <small>${p.player_lookup}${p.universal_player_id ? ` · NBA id ${p.universal_player_id}` : ''}</small></h1>
<form class="range" method="get" action="${href('/players', [p.player_lookup])}">
<label>Season <select name="season">${v.seasons.map((s) => html`<option value="${s.label}"${s.season_year === v.season.season_year ? html` selected` : ''}>${s.label}</option>`)}</select></label>
<button type="submit">Show</button>
</form>
<h2>${v.season.label}: points per game <small>${num(v.games.length)} games</small></h2>
<p class="muted">Rolling averages are of his previous 5 and 10 games with minutes this season, as known before tip-off.
${v.predictions_note ? html` Predictions: ${v.predictions_note}.` : html` Predicted median with its 80% band (q10–q90).`}</p>
<div id="player-chart" class="chart" role="img" aria-label="points per game chart"></div>
${jsonScript('player-chart-data', chartData(v))}
<h2 id="features">Feature vector ${fv ? html`<small>${fv.game_date} vs ${fv.opponent_team_abbr} · ${fv.feature_version} · quality ${num(fv.feature_quality_score, 1)} (${fv.quality_tier}) · ${fv.data_source}</small>` : ''}</h2>
${v.feature_dates.length > 0
  ? html`<form class="range" method="get" action="${href('/players', [p.player_lookup])}#features">
<input type="hidden" name="season" value="${v.season.label}">
<label>Date <select name="date">${v.feature_dates.map((d) => html`<option value="${d}"${d === v.feature_date ? html` selected` : ''}>${d}</option>`)}</select></label>
<button type="submit">Show</button>
</form>`
  : ''}
${fv ? featureTable(fv.features) : html`<p class="empty">No feature vector ${v.feature_date ? `on ${v.feature_date}` : 'this season'} (MLFS has no row for him there).</p>`}
<h2>Games</h2>
${table(
  [
    { label: 'date', cell: (g) => link(href('/slate', [], { date: g.game_date }), g.game_date) },
    { label: 'team', cell: (g) => g.team_abbr },
    { label: 'opponent', cell: (g) => `${g.home_game ? 'vs' : '@'} ${g.opponent_team_abbr}` },
    { label: 'minutes', cell: (g) => num(g.minutes_played, 1), numeric: true },
    { label: 'points', cell: (g) => num(g.points), numeric: true },
    { label: 'avg last 5 before', cell: (g) => num(g.avg_last_5_before, 2), numeric: true },
    { label: 'avg last 10 before', cell: (g) => num(g.avg_last_10_before, 2), numeric: true },
    { label: 'home', cell: (g) => yesNo(g.home_game) },
  ],
  games,
  { empty: 'No games with minutes this season.', id: 'player-games' },
)}`;
}

export function renderPlayerSearch(search: string, matches: readonly PlayerMatch[]): SafeHtml {
  return html`<h1>Players</h1>
<form class="range" method="get" action="/players">
<label>Name <input type="search" name="q" value="${search}" placeholder="e.g. Jokic"></label>
<button type="submit">Search</button>
</form>
${table<PlayerMatch>(
  [
    { label: 'player', cell: (m) => link(href('/players', [m.player_lookup]), m.player_name) },
    { label: 'lookup', cell: (m) => html`<code>${m.player_lookup}</code>` },
    { label: 'games', cell: (m) => num(m.games), numeric: true },
    { label: 'last game', cell: (m) => m.last_game },
  ],
  matches,
  { empty: 'No player matches.', id: 'player-matches' },
)}`;
}
