import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryTimeoutError } from '../core/errors.js';
import { isTransient, withRetry } from './retry.js';

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe('retry', () => {
  const cases: [string, unknown, boolean][] = [
    ['DuckDB write-write conflict', new Error('TransactionContext Error: Catalog write-write conflict on create with "x"'), true],
    ['tuple deletion conflict', new Error('Conflict on tuple deletion!'), true],
    ['file lock held by another process', new Error('IO Error: Could not set lock on file "x.duckdb": Conflicting lock is held'), true],
    ['a timeout is final', new QueryTimeoutError(100, 'SELECT 1'), false],
    ['a SQL error is final', new Error('Binder Error: column "x" not found'), false],
  ];
  for (const [name, err, transient] of cases) it(`classifies: ${name}`, () => assert.equal(isTransient(err), transient));

  it('retries transient errors a bounded number of times, then gives up', async () => {
    let calls = 0;
    await assert.rejects(withRetry(async () => {
      calls += 1;
      throw new Error('Conflict on update');
    }, fast), /Conflict/);
    assert.equal(calls, 3);
  });

  it('returns the first success and does not retry other errors', async () => {
    let calls = 0;
    assert.equal(await withRetry(async (attempt) => (attempt < 2 ? Promise.reject(new Error('TransactionContext Error: conflict')) : 'ok'), fast), 'ok');
    await assert.rejects(withRetry(async () => {
      calls += 1;
      throw new Error('Parser Error');
    }, fast));
    assert.equal(calls, 1);
  });
});
