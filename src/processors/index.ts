// The processor graph. Loading this module validates it: unknown dependencies, duplicates and
// cycles are rejected before anything runs; PROCESSORS is in dependency order.
import { CourtsideError } from '../core/errors.js';
import { mlFeatureStore } from './ml-feature-store/definition.js';
import { playerCompositeFactors } from './player-composite-factors/definition.js';
import { playerDailyCache } from './player-daily-cache/definition.js';
import { playerPointsPredictions } from './player-points-predictions/definition.js';
import { playerShotZoneAnalysis } from './player-shot-zone-analysis/definition.js';
import type { ProcessorDefinition, ProcessorKey } from './processor.js';
import { teamDefenseZoneAnalysis } from './team-defense-zone-analysis/definition.js';

export class ProcessorGraphError extends CourtsideError {
  constructor(message: string) {
    super('INVALID_PROCESSOR_GRAPH', message, 2);
  }
}

/** Returns the definitions in dependency order (stable: declaration order among equals). */
export function validateGraph(defs: readonly ProcessorDefinition[]): readonly ProcessorDefinition[] {
  const byKey = new Map<string, ProcessorDefinition>();
  for (const def of defs) {
    if (byKey.has(def.key)) throw new ProcessorGraphError(`processor '${def.key}' is declared twice`);
    byKey.set(def.key, def);
  }
  for (const def of defs) {
    for (const dep of def.dependsOn) {
      if (!byKey.has(dep)) throw new ProcessorGraphError(`processor '${def.key}' depends on unknown processor '${dep}'`);
    }
  }
  const ordered: ProcessorDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (def: ProcessorDefinition, path: readonly string[]): void => {
    if (state.get(def.key) === 'done') return;
    if (state.get(def.key) === 'visiting') throw new ProcessorGraphError(`processor graph has a cycle: ${[...path, def.key].join(' -> ')}`);
    state.set(def.key, 'visiting');
    for (const dep of def.dependsOn) visit(byKey.get(dep) as ProcessorDefinition, [...path, def.key]);
    state.set(def.key, 'done');
    ordered.push(def);
  };
  for (const def of defs) visit(def, []);
  return ordered;
}

export const PROCESSORS: readonly ProcessorDefinition[] = validateGraph([
  playerShotZoneAnalysis,
  teamDefenseZoneAnalysis,
  playerDailyCache,
  playerCompositeFactors,
  mlFeatureStore,
  playerPointsPredictions,
]);

export function processorByKey(key: ProcessorKey): ProcessorDefinition {
  const def = PROCESSORS.find((p) => p.key === key);
  if (!def) throw new ProcessorGraphError(`unknown processor '${key}'`);
  return def;
}

/** Every processor that (transitively) reads `key`'s output, in dependency order. */
export function downstreamOf(key: ProcessorKey): readonly ProcessorDefinition[] {
  const affected = new Set<ProcessorKey>([key]);
  for (const def of PROCESSORS) if (def.dependsOn.some((d) => affected.has(d))) affected.add(def.key);
  return PROCESSORS.filter((p) => p.key !== key && affected.has(p.key));
}

/** What the snapshot test pins: names, tables, date columns and edges. */
export function graphSnapshot(defs: readonly ProcessorDefinition[] = PROCESSORS): readonly Record<string, unknown>[] {
  return defs.map((d) => ({
    key: d.key,
    processorName: d.processorName,
    outputTable: d.outputTable,
    dateColumn: d.dateColumn,
    entityColumn: d.entityColumn,
    version: d.version,
    dependsOn: [...d.dependsOn],
    tables: d.dependencies.map((dep) => ('table' in dep.source ? dep.source.table : dep.source.processor)),
    thresholds: { ...d.thresholds },
    audits: d.audits.map((a) => a.name),
  }));
}
