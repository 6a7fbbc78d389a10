// COURTSIDE_DB= (empty) is unset, as every variable (src/core/env.ts): the default file, not an error.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { resolveDbPath } from './db-path.js';

describe('resolveDbPath', () => {
  const saved = process.env['COURTSIDE_DB'];
  afterEach(() => {
    if (saved === undefined) delete process.env['COURTSIDE_DB'];
    else process.env['COURTSIDE_DB'] = saved;
  });
  it('an empty COURTSIDE_DB is unset: ./courtside.duckdb', () => {
    process.env['COURTSIDE_DB'] = '';
    assert.equal(resolveDbPath(), resolve('./courtside.duckdb'));
  });
  it('a set COURTSIDE_DB is used, and --db wins over it', () => {
    process.env['COURTSIDE_DB'] = 'elsewhere.duckdb';
    assert.equal(resolveDbPath(), resolve('elsewhere.duckdb'));
    assert.equal(resolveDbPath('given.duckdb'), resolve('given.duckdb'));
  });
  it("an empty --db is still refused (a flag is explicit)", () => {
    assert.throws(() => resolveDbPath(''), /is not a file/);
  });
});
