// Parameter typing at its edges: what is refused before a job is sent, and how the refusal reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParameterError, restParameter } from './query-parameters.js';

describe('restParameter', () => {
  it('an integer beyond 2^53 given as a JS number is refused as such (it was called "declared INT64" though nothing was declared)', () => {
    assert.throws(() => restParameter('id', 2 ** 53 + 2), (err) => err instanceof ParameterError && /\$id: 9007199254740994 is an integer beyond 2\^53/.test(err.message) && !/: declared INT64 but got/.test(err.message));
    assert.deepEqual(restParameter('id', 2n ** 53n + 1n), { name: 'id', parameterType: { type: 'INT64' }, parameterValue: { value: '9007199254740993' } });
    assert.deepEqual(restParameter('id', '9007199254740993', 'INT64'), { name: 'id', parameterType: { type: 'INT64' }, parameterValue: { value: '9007199254740993' } });
  });

  it('a declared INT64 that is not one still names the declaration', () => {
    assert.throws(() => restParameter('n', 2.5, 'INT64'), /\$n: declared INT64 but got 2\.5/);
  });
});
