// The dashboard's static files, read once at start-up: its own CSS/JS beside this module, and the
// chart library from the installed uplot package (served locally: no CDN, works offline).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface StaticFile {
  readonly type: string;
  readonly body: Buffer;
}

const TYPES: Readonly<Record<string, string>> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

function file(path: string): StaticFile {
  const ext = path.slice(path.lastIndexOf('.') + 1);
  return { type: TYPES[ext] ?? 'application/octet-stream', body: readFileSync(path) };
}

/** By the name under /static/. */
export function loadStaticFiles(): ReadonlyMap<string, StaticFile> {
  const own = (name: string) => fileURLToPath(new URL(`./static/${name}`, import.meta.url));
  const require = createRequire(import.meta.url);
  return new Map([
    ['dashboard.css', file(own('dashboard.css'))],
    ['dashboard.js', file(own('dashboard.js'))],
    ['player-chart.js', file(own('player-chart.js'))],
    ['favicon.svg', file(own('favicon.svg'))],
    ['uPlot.iife.min.js', file(require.resolve('uplot/dist/uPlot.iife.min.js'))],
    ['uPlot.min.css', file(require.resolve('uplot/dist/uPlot.min.css'))],
  ]);
}
