// The player page's season chart (uPlot, served locally): points per game, his rolling averages
// before each game, and where predictions exist the predicted median with its q10–q90 band.
'use strict';

(function () {
  const el = document.getElementById('player-chart');
  const source = document.getElementById('player-chart-data');
  if (!el || !source || typeof uPlot === 'undefined') return;
  const d = JSON.parse(source.textContent);
  const xs = d.dates.map(function (day) { return Date.parse(day + 'T00:00:00Z') / 1000; });
  const data = [xs, d.points, d.avg5, d.avg10];
  const series = [
    {},
    { label: 'points', stroke: '#1f4e9c', width: 1, points: { show: true, size: 6, fill: '#1f4e9c' } },
    { label: 'avg last 5 (before)', stroke: '#e8730c', width: 2, spanGaps: true, points: { show: false } },
    { label: 'avg last 10 (before)', stroke: '#2e9d4f', width: 2, spanGaps: true, points: { show: false } },
  ];
  const bands = [];
  if (d.predicted) {
    data.push(d.predicted, d.q90, d.q10);
    series.push(
      { label: 'predicted median', stroke: '#7b3fb5', width: 2, dash: [6, 4], spanGaps: true, points: { show: false } },
      { label: 'q90', stroke: 'rgba(123,63,181,0.35)', width: 1, spanGaps: true, points: { show: false } },
      { label: 'q10', stroke: 'rgba(123,63,181,0.35)', width: 1, spanGaps: true, points: { show: false } },
    );
    bands.push({ series: [5, 6], fill: 'rgba(123,63,181,0.12)' });
  }
  const width = function () { return Math.max(el.clientWidth - 10, 300); };
  const chart = new uPlot({
    width: width(),
    height: 320,
    series: series,
    bands: bands,
    scales: { x: { time: true } },
    axes: [{}, { label: 'points' }],
    // Game dates are calendar dates: show them in UTC whatever the viewer's zone.
    tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
  }, data, el);
  el.dataset.rendered = String(series.length - 1);
  window.addEventListener('resize', function () { chart.setSize({ width: width(), height: 320 }); });
})();
