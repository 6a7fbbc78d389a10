import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessorKey } from '../processors/processor.js';
import { dependencyLevels, plan, splitBatches, type PlanInput, type PlanProcessor } from './plan.js';
import { partitionKey, type DependencyVerdict, type PartitionState } from './types.js';

const GRAPH: PlanProcessor[] = [
  { key: 'psza', version: 'v1', upstream: [] },
  { key: 'tdza', version: 'v1', upstream: [] },
  { key: 'pdc', version: 'v1', upstream: ['psza'] },
  { key: 'pcf', version: 'v1', upstream: ['psza', 'tdza'] },
  { key: 'mlfs', version: 'v1', upstream: ['pcf', 'pdc', 'psza', 'tdza'] },
];
const DATES = ['2021-11-01', '2021-11-02', '2021-11-04'].map((date) => ({ date, isBootstrap: false }));
const done = (fingerprint = 'fp'): PartitionState => ({ status: 'complete', version: 'v1', fingerprint, outputChecksum: 'c' });
const allDone = (keys: readonly ProcessorKey[]) => new Map(keys.flatMap((k) => DATES.map((d) => [partitionKey(k, d.date), done()] as const)));
const fps = (keys: readonly ProcessorKey[]) => new Map(keys.flatMap((k) => DATES.map((d) => [partitionKey(k, d.date), 'fp'] as const)));
const failedDep: DependencyVerdict = { ok: false, category: 'MISSING_DEPENDENCIES', problems: ['t: 0 rows < 1'], staleWarnings: [], fingerprintParts: [] };

function input(over: Partial<PlanInput>): PlanInput {
  const keys = GRAPH.map((p) => p.key);
  return { processors: GRAPH, dates: DATES, rangeFrom: '2021-11-01', existing: allDone(keys), fingerprints: fps(keys), verdicts: new Map(), force: false, batchDays: null, ...over };
}
const summary = (i: PlanInput) => plan(i).partitions.map((p) => `${p.processor} ${p.date} ${p.reason} ${p.action}`);

describe('dependencyLevels', () => {
  it('orders psza ∥ tdza, then pdc and pcf, then mlfs', () => {
    assert.deepEqual(dependencyLevels(GRAPH), [['psza', 'tdza'], ['pcf', 'pdc'], ['mlfs']]);
  });
  it('ignores upstreams outside the selection', () => {
    assert.deepEqual(dependencyLevels(GRAPH.filter((p) => p.key === 'pdc' || p.key === 'mlfs')), [['pdc'], ['mlfs']]);
  });
  it('refuses a cycle', () => {
    assert.throws(() => dependencyLevels([{ key: 'psza', version: 'v', upstream: ['pdc'] }, { key: 'pdc', version: 'v', upstream: ['psza'] }]), /cycle/);
  });
});

describe('plan', () => {
  const cases: { name: string; input: PlanInput; expected: string[] }[] = [
    { name: 'everything up to date → nothing to do', input: input({}), expected: [] },
    {
      name: 'missing partition → it and its downstream (same date) run',
      input: input({ existing: new Map([...allDone(['psza', 'tdza', 'pdc', 'pcf', 'mlfs'])].filter(([k]) => k !== partitionKey('tdza', '2021-11-02'))) }),
      expected: ['tdza 2021-11-02 missing run', 'pcf 2021-11-02 upstream_planned run', 'mlfs 2021-11-02 upstream_planned run'],
    },
    {
      name: 'failed and skipped partitions are retried (unlike the prior art checkpoint)',
      input: input({
        processors: GRAPH.slice(0, 3),
        existing: new Map([...allDone(['psza', 'tdza', 'pdc']), [partitionKey('psza', '2021-11-01'), { ...done(), status: 'failed' }], [partitionKey('pdc', '2021-11-04'), { ...done(), status: 'skipped_upstream' }]]),
      }),
      expected: ['psza 2021-11-01 failed run', 'pdc 2021-11-01 upstream_planned run', 'pdc 2021-11-04 skipped_upstream run'],
    },
    {
      name: 'a new processor version makes every partition of it stale',
      input: input({ processors: GRAPH.slice(0, 3).map((p) => (p.key === 'pdc' ? { ...p, version: 'v2' } : p)) }),
      expected: DATES.map((d) => `pdc ${d.date} stale_version run`),
    },
    {
      name: 'a changed upstream fingerprint makes that partition stale',
      input: input({ processors: GRAPH.slice(0, 1), fingerprints: new Map([...fps(['psza']), [partitionKey('psza', '2021-11-04'), 'other']]) }),
      expected: ['psza 2021-11-04 stale_upstream run'],
    },
    {
      name: '--force runs everything in range',
      input: input({ processors: GRAPH.slice(0, 2), force: true }),
      expected: ['psza', 'tdza'].flatMap((k) => DATES.map((d) => `${k} ${d.date} forced run`)),
    },
    {
      name: 'a failed dependency fails the date and skips its downstream',
      input: input({ processors: GRAPH.slice(0, 3), force: true, verdicts: new Map([[partitionKey('psza', '2021-11-02'), failedDep]]) }),
      expected: [
        'psza 2021-11-01 forced run', 'psza 2021-11-02 forced fail_dependencies', 'psza 2021-11-04 forced run',
        'tdza 2021-11-01 forced run', 'tdza 2021-11-02 forced run', 'tdza 2021-11-04 forced run',
        'pdc 2021-11-01 forced run', 'pdc 2021-11-02 forced skip_upstream', 'pdc 2021-11-04 forced run',
      ],
    },
    {
      name: 'bootstrap dates ignore dependency failures (empty by design)',
      input: input({ processors: GRAPH.slice(0, 1), force: true, dates: [{ date: '2021-11-01', isBootstrap: true }], verdicts: new Map([[partitionKey('psza', '2021-11-01'), failedDep]]) }),
      expected: ['psza 2021-11-01 forced run'],
    },
    {
      name: 'an unselected upstream that failed blocks its downstream',
      input: input({ processors: GRAPH.slice(2, 3), force: true, existing: new Map([...allDone(['psza', 'pdc']), [partitionKey('psza', '2021-11-04'), { ...done(), status: 'failed' }]]) }),
      expected: ['pdc 2021-11-01 forced run', 'pdc 2021-11-02 forced run', 'pdc 2021-11-04 forced skip_upstream'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(summary(c.input), c.expected));

  it('counts partitions that are up to date', () => {
    assert.equal(plan(input({ existing: new Map([...allDone(['psza', 'tdza', 'pdc', 'pcf', 'mlfs'])].filter(([k]) => k !== partitionKey('psza', '2021-11-01'))) })).upToDate.get('psza'), 2);
  });
});

describe('splitBatches', () => {
  const days = ['2021-11-01', '2021-11-02', '2021-11-03', '2021-11-05', '2021-11-08'];
  const cases: { name: string; runnable: string[]; batchDays: number | null; expected: string[] }[] = [
    { name: 'whole range in one batch', runnable: days, batchDays: null, expected: ['2021-11-01..2021-11-08'] },
    { name: 'per-date mode', runnable: days, batchDays: 1, expected: days.map((d) => `${d}..${d}`) },
    { name: 'calendar chunks of 3 days from the range start', runnable: days, batchDays: 3, expected: ['2021-11-01..2021-11-03', '2021-11-05..2021-11-05', '2021-11-08..2021-11-08'] },
    { name: 'a game date not to run splits a batch', runnable: ['2021-11-01', '2021-11-02', '2021-11-05', '2021-11-08'], batchDays: null, expected: ['2021-11-01..2021-11-02', '2021-11-05..2021-11-08'] },
    { name: 'nothing to run', runnable: [], batchDays: null, expected: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const batches = splitBatches('psza', new Set(c.runnable), days, '2021-11-01', c.batchDays);
      assert.deepEqual(batches.map((b) => `${b.from}..${b.to}`), c.expected);
    });
  }
});

describe('plan: windows over earlier partitions of an upstream', () => {
  // pred reads MLFS's partitions of the 7 days before the Monday on or before its date (2021-11-01 is a Monday)
  const DAYS = ['2021-10-25', '2021-10-28', '2021-11-01', '2021-11-03', '2021-11-08', '2021-11-16'].map((date) => ({ date, isBootstrap: false }));
  const graph: PlanProcessor[] = [
    { key: 'mlfs', version: 'v1', upstream: [] },
    { key: 'pred', version: 'v1', upstream: ['mlfs'], upstreamWindows: [{ upstream: 'mlfs', days: 7, anchor: 'monday' }] },
  ];
  const base = (existing: Map<string, PartitionState>): PlanInput => ({
    processors: graph, dates: DAYS, rangeFrom: '2021-10-25', existing,
    fingerprints: new Map(['mlfs', 'pred'].flatMap((k) => DAYS.map((d) => [partitionKey(k, d.date), 'fp'] as const))),
    verdicts: new Map(), force: false, batchDays: null,
  });
  it('an upstream partition planned inside the window of D plans D (and no date whose window misses it)', () => {
    const existing = new Map(['mlfs', 'pred'].flatMap((k) => DAYS.map((d) => [partitionKey(k, d.date), done()] as const)));
    existing.delete(partitionKey('mlfs', '2021-10-28'));
    // 10-28 is in [R - 7, R - 1] for R = 11-01 (dates 11-01, 11-03); not for R = 10-25 (10-25, 10-28: it is D itself there) or 11-08
    assert.deepEqual(summary(base(existing)), ['mlfs 2021-10-28 missing run', 'pred 2021-10-28 upstream_planned run', 'pred 2021-11-01 upstream_planned run', 'pred 2021-11-03 upstream_planned run']);
  });
});
