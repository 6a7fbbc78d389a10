import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../core/errors.js';
import { bigQuerySettings, onDemandCostUsd, resolveWarehouseTarget } from './bigquery-config.js';
import { classifyBigQueryError, BigQueryJobError, TransactionConflictError } from './bigquery-errors.js';
import { restParameter } from './query-parameters.js';

describe('warehouse choice and BigQuery settings', () => {
  it('takes --warehouse, then COURTSIDE_WAREHOUSE, then the config file, else DuckDB', () => {
    const file = { warehouse: 'bigquery://from-file-1' };
    assert.deepEqual(resolveWarehouseTarget({ flag: 'bigquery://from-flag', env: { COURTSIDE_WAREHOUSE: 'bigquery://from-env-1' }, file }), { kind: 'bigquery', projectId: 'from-flag' });
    assert.deepEqual(resolveWarehouseTarget({ env: { COURTSIDE_WAREHOUSE: 'bigquery://from-env-1' }, file }), { kind: 'bigquery', projectId: 'from-env-1' });
    assert.deepEqual(resolveWarehouseTarget({ env: {}, file }), { kind: 'bigquery', projectId: 'from-file-1' });
    assert.deepEqual(resolveWarehouseTarget({ env: {} }), { kind: 'duckdb' });
    assert.deepEqual(resolveWarehouseTarget({ flag: 'duckdb', env: { COURTSIDE_WAREHOUSE: 'bigquery://from-env-1' } }), { kind: 'duckdb' });
    assert.throws(() => resolveWarehouseTarget({ flag: 'bq://x', env: {} }), (e) => e instanceof UsageError && /--warehouse: 'bq:\/\/x' is not a warehouse/.test(e.message));
  });

  it('reads location, prefix, endpoint and price from the file with COURTSIDE_BQ_* on top', () => {
    const file = { bigquery: { location: 'EU', datasetPrefix: 'dev_', pricePerTiBUsd: 5 } };
    assert.deepEqual(bigQuerySettings('p-123456', { env: {}, file }), { projectId: 'p-123456', location: 'EU', datasetPrefix: 'dev_', pricePerTiBUsd: 5 });
    assert.deepEqual(bigQuerySettings('p-123456', { env: { COURTSIDE_BQ_LOCATION: 'us-central1', COURTSIDE_BQ_DATASET_PREFIX: 'ci_', COURTSIDE_BQ_API_ENDPOINT: 'http://127.0.0.1:9050', COURTSIDE_BQ_PRICE_PER_TIB_USD: '6.25' }, file }), {
      projectId: 'p-123456', location: 'us-central1', datasetPrefix: 'ci_', apiEndpoint: 'http://127.0.0.1:9050', pricePerTiBUsd: 6.25,
    });
    // an empty variable is unset (one rule for every variable, src/core/env.ts): the file's values stand
    const empty = { COURTSIDE_BQ_LOCATION: '', COURTSIDE_BQ_DATASET_PREFIX: '', COURTSIDE_BQ_API_ENDPOINT: '', COURTSIDE_BQ_PRICE_PER_TIB_USD: '' };
    assert.deepEqual(bigQuerySettings('p-123456', { env: empty, file }), { projectId: 'p-123456', location: 'EU', datasetPrefix: 'dev_', pricePerTiBUsd: 5 });
    assert.throws(() => bigQuerySettings('p-123456', { env: {}, file: { bigquery: { datasetPrefix: 'a-b' } } }), /datasetPrefix/);
    assert.throws(() => bigQuerySettings('p-123456', { env: {}, file: { bigquery: { locaton: 'EU' } } }), /Unrecognized key/);
  });

  it('prices on-demand bytes with the 10 MiB minimum', () => {
    assert.equal(onDemandCostUsd(0, 6.25), 0);
    assert.equal(onDemandCostUsd(1024 ** 4, 6.25), 6.25);
    assert.equal(onDemandCostUsd(1, 6.25), (10 * 1024 ** 2 / 1024 ** 4) * 6.25);
  });
});

describe('BigQuery error classification', () => {
  it('retries rate limits, backend errors and 5xx; aborts for concurrent transactions are conflicts', () => {
    assert.equal(classifyBigQueryError(Object.assign(new Error('x'), { code: 429, errors: [{ reason: 'rateLimitExceeded' }] })), 'transient');
    assert.equal(classifyBigQueryError(Object.assign(new Error('x'), { code: 503 })), 'transient');
    assert.equal(classifyBigQueryError(new BigQueryJobError('j', 'backendError', 'Backend error', 'SELECT 1')), 'transient');
    assert.equal(classifyBigQueryError(new BigQueryJobError('j', 'invalidQuery', 'Transaction is aborted due to concurrent update against table p:d.t', 'x')), 'conflict');
    assert.equal(classifyBigQueryError(new TransactionConflictError('x')), 'conflict');
    assert.equal(classifyBigQueryError(new BigQueryJobError('j', 'timeout', 'Job timed out after 60 s', 'x')), 'timeout');
    assert.equal(classifyBigQueryError(new BigQueryJobError('j', 'invalidQuery', 'Unrecognized name: foo', 'x')), 'fatal');
    assert.equal(classifyBigQueryError(Object.assign(new Error('x'), { code: 403, errors: [{ reason: 'accessDenied' }] })), 'fatal');
  });
});

describe('query parameters', () => {
  it('types values explicitly and checks declared types', () => {
    assert.deepEqual(restParameter('n', 10), { name: 'n', parameterType: { type: 'INT64' }, parameterValue: { value: '10' } });
    assert.deepEqual(restParameter('r', 0.5), { name: 'r', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '0.5' } });
    assert.deepEqual(restParameter('r', 1, 'FLOAT64'), { name: 'r', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '1' } });
    assert.deepEqual(restParameter('big', 9007199254740993n), { name: 'big', parameterType: { type: 'INT64' }, parameterValue: { value: '9007199254740993' } });
    assert.deepEqual(restParameter('e', []), { name: 'e', parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } }, parameterValue: { arrayValues: [] } });
    assert.deepEqual(restParameter('l', null, 'ARRAY<INT64>'), { name: 'l', parameterType: { type: 'ARRAY', arrayType: { type: 'INT64' } }, parameterValue: {} });
    assert.throws(() => restParameter('d', '2021-13', 'DATE'), /\$d: declared DATE but got "2021-13"/);
    assert.throws(() => restParameter('x', Number.NaN), /not a finite number/);
    assert.throws(() => restParameter('m', [1, 'a'] as unknown as string[]), /mixes strings and numbers/);
  });
});
