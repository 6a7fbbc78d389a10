// DDL of the Phase 4 outputs, gathered from each processor's declaration.
// (Filled in as processors land; the schemas exist from the start so that reports can read them.)
export const PROCESSOR_DDL = `
CREATE SCHEMA IF NOT EXISTS nba_precompute;
CREATE SCHEMA IF NOT EXISTS nba_predictions;
`;
