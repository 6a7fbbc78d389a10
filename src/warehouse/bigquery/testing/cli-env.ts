// In-process CLI runs (runCli) read their warehouse from the COURTSIDE_* variables: this points them
// at a fake BigQuery server (no dataset prefix) and gives back a function that restores the
// variables as they were, so one test file's target never leaks into the next test.
const VARIABLES = ['COURTSIDE_WAREHOUSE', 'COURTSIDE_BQ_API_ENDPOINT', 'COURTSIDE_BQ_DATASET_PREFIX'] as const;

export function pointCliAtFakeBigQuery(apiEndpoint: string, project = 'courtside-test'): () => void {
  const saved = Object.fromEntries(VARIABLES.map((k) => [k, process.env[k]]));
  process.env['COURTSIDE_WAREHOUSE'] = `bigquery://${project}`;
  process.env['COURTSIDE_BQ_API_ENDPOINT'] = apiEndpoint;
  process.env['COURTSIDE_BQ_DATASET_PREFIX'] = '';
  return () => {
    for (const k of VARIABLES) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}
