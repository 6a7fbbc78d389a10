// DDL of the Phase 4 outputs, gathered from each processor's declaration.
import { PROCESSORS } from './index.js';

export const PROCESSOR_DDL = [
  'CREATE SCHEMA IF NOT EXISTS nba_precompute;',
  'CREATE SCHEMA IF NOT EXISTS nba_predictions;',
  ...PROCESSORS.map((p) => p.ddl.trim()),
].join('\n');
