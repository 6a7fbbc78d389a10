// The Phase 5 figures of `npm run bench` (issue 9): the walk-forward over both seasons with every
// refit fitted in the run, and the daily prediction of one date (a mid-week date whose Monday fit is
// stored, and a Monday that refits). Run alone with `npm run bench -- --predictions`.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

export interface PredictionFigure {
  readonly name: string;
  readonly medianSeconds: number;
  readonly peakRssMb: number;
  readonly runs: readonly { readonly wallMs: number }[];
}

export interface PredictionBench {
  measure: (name: string, runs: number, prepare: () => void, args: readonly string[]) => PredictionFigure;
  copy: (from: string, to: string) => () => void;
  db: (name: string) => string;
  runs: number;
  /** A warehouse with both seasons ingested and Phase 4 built, no predictions. */
  phase4: string;
}

/** The machine's 1-minute load average around the measurements (the bench machine is shared). */
export const machineLoad: number[] = [];

export function predictionFigures(b: PredictionBench): PredictionFigure[] {
  const nothing = () => undefined;
  const wf = b.db('pred-walk-forward');
  machineLoad.push(loadavg()[0] ?? 0);
  const figures = [
    b.measure('Predictions walk-forward 2021-22 + 2022-23 (pred only, every refit fitted)', b.runs, b.copy(b.phase4, wf), ['backfill', wf, '2021-10-19', '2023-04-09', 'all', 'pred']),
    b.measure('daily prediction of one date (2023-01-18; its Monday fit stored)', b.runs, nothing, ['daily', wf, '2023-01-18', 'pred']),
    b.measure('daily prediction of a refit Monday (2023-01-16; the fit and the last week of training rows in the run)', b.runs, nothing, ['daily-refit', wf, '2023-01-16', 'pred']),
    b.measure('daily run of one date (2023-01-18), Phase 4 + predictions', b.runs, nothing, ['daily', wf, '2023-01-18', 'all6']),
  ];
  machineLoad.push(loadavg()[0] ?? 0);
  return figures;
}

const START = '<!-- predictions:start -->';
const END = '<!-- predictions:end -->';

export function predictionsSection(figures: readonly PredictionFigure[], when: string): string {
  const rows = figures.map((f) => `| ${f.name} | ${f.medianSeconds.toFixed(2)} | ${f.peakRssMb} | ${f.runs.map((r) => (r.wallMs / 1000).toFixed(2)).join(', ')} |`);
  return `${START}
## Predictions (Phase 5)

Measured ${when} on ${cpus().length} cores; 1-minute load average ${machineLoad.map((l) => l.toFixed(1)).join(' before, ')} after
(other work shares the machine: wall times scale with it). The walk-forward starts from a warehouse with Phase 4
built and no stored fits or training rows, so every weekly refit and all its training rows are computed inside the measured run.

| step | median wall (s) | peak RSS (MB) | runs (s) |
|---|---:|---:|---|
${rows.join('\n')}

Targets (issue 9): walk-forward over both seasons, training included, ≤ 60 s; the daily prediction of one date ≤ 2 s.
Model accuracy is measured by \`courtside evaluate\`, not here (see the README).
${END}
`;
}

/** Replaces the predictions section of BENCHMARKS.md (or appends it), keeping everything else. */
export function writePredictionsSection(path: string, section: string): void {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const a = text.indexOf(START);
  const z = text.indexOf(END);
  const next = a >= 0 && z > a ? `${text.slice(0, a)}${section.trimEnd()}${text.slice(z + END.length)}` : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(path, next.endsWith('\n') ? next : `${next}\n`);
}
