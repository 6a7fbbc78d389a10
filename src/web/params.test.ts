import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from './http-errors.js';
import { choiceParam, dateParam, lookupParam, optionalRange, optionalSeason, positiveInt, processorParam, readQuery, seasonAndDate } from './params.js';

const q = (qs: string, allowed: readonly string[]) => readQuery(`http://127.0.0.1/x?${qs}`, allowed);
const bad = (fn: () => unknown, message: RegExp) => assert.throws(fn, (err: unknown) => err instanceof BadRequestError && err.status === 400 && message.test(err.message));

describe('query parameters', () => {
  it('reads known parameters and refuses unknown or repeated ones', () => {
    assert.deepEqual([...q('from=2021-11-01&to=2021-11-30', ['from', 'to'])], [['from', '2021-11-01'], ['to', '2021-11-30']]);
    bad(() => q('form=2021-11-01', ['from', 'to']), /unknown query parameter 'form' \(this page takes from, to\)/);
    bad(() => q('x=1', []), /this page takes none/);
    bad(() => q('to=2021-11-01&to=2021-11-02', ['to']), /'to' is given more than once/);
  });

  it('checks dates, ranges and seasons with the CLI rules, as 400s naming the parameter', () => {
    assert.equal(dateParam('2022-02-28', 'date'), '2022-02-28');
    bad(() => dateParam('2022-02-30', 'date'), /date is not a calendar date: '2022-02-30'/);
    bad(() => dateParam('yesterday', 'date'), /date must be YYYY-MM-DD, got 'yesterday'/);
    assert.deepEqual(optionalRange(q('from=2021-11-01&to=2021-11-30', ['from', 'to'])), { from: '2021-11-01', to: '2021-11-30' });
    assert.equal(optionalRange(q('', ['from', 'to'])), undefined);
    bad(() => optionalRange(q('from=2021-11-30&to=2021-11-01', ['from', 'to'])), /'from' 2021-11-30 is after 'to' 2021-11-01/);
    bad(() => optionalRange(q('from=2021-11-01', ['from', 'to'])), /give both 'from' and 'to'/);
    bad(() => optionalRange(q('season=2021-22&from=2021-11-01&to=2021-11-02', ['season', 'from', 'to'])), /either 'season' or 'from'\/'to'/);
    assert.equal(optionalSeason(q('season=2021-22', ['season'])), 2021);
    bad(() => optionalSeason(q('season=2021-23', ['season'])), /season must look like 2021-22, got '2021-23'/);
  });

  it('a season and a date together: the date must be in that season', () => {
    const sd = (qs: string) => seasonAndDate(q(qs, ['season', 'date']), 'date');
    assert.deepEqual(sd('season=2021-22&date=2022-01-15'), { season: 2021, date: '2022-01-15' });
    assert.deepEqual(sd('date=2022-11-16'), { season: undefined, date: '2022-11-16' });
    assert.deepEqual(sd('season=2022-23'), { season: 2022, date: undefined });
    assert.deepEqual(sd('season=2021-22&date=2022-06-16'), { season: 2021, date: '2022-06-16' }); // the finals
    bad(() => sd('season=2021-22&date=2022-11-16'), /date 2022-11-16 is not in season 2021-22 \(2021-10-01 to 2022-06-30\)/);
    bad(() => sd('season=2022-23&date=2022-09-30'), /date 2022-09-30 is not in season 2022-23/);
    // The bubble's October 2020 is 2019-20's (its window, and seasonYearOf, one rule), not 2020-21's.
    assert.deepEqual(sd('season=2019-20&date=2020-10-09'), { season: 2019, date: '2020-10-09' });
    bad(() => sd('season=2020-21&date=2020-10-09'), /date 2020-10-09 is not in season 2020-21 \(2020-12-01 to 2021-07-31\)/);
    assert.deepEqual(sd('season=2021-22&date=2022-08-01'), { season: 2021, date: '2022-08-01' }); // the summer after it
  });

  it('checks processors, lookups, numbers and choices', () => {
    assert.equal(processorParam('pdc').processorName, 'PlayerDailyCacheProcessor');
    assert.equal(processorParam('MLFeatureStoreProcessor').key, 'mlfs');
    bad(() => processorParam('psa'), /unknown processor 'psa' \(use psza, tdza, pdc, pcf, mlfs, pred\)/);
    assert.equal(lookupParam('lebronjames'), 'lebronjames');
    bad(() => lookupParam('LeBron James'), /player must be a player_lookup/);
    assert.equal(positiveInt(q('limit=20', ['limit']), 'limit', 50, 1000), 20);
    assert.equal(positiveInt(q('', ['limit']), 'limit', 50, 1000), 50);
    bad(() => positiveInt(q('limit=1e3', ['limit']), 'limit', 50, 1000), /limit must be a whole number from 1 to 1000, got '1e3'/);
    bad(() => positiveInt(q('limit=0', ['limit']), 'limit', 50, 1000), /from 1 to 1000/);
    assert.equal(choiceParam(q('category=INSUFFICIENT_DATA', ['category']), 'category', ['INSUFFICIENT_DATA']), 'INSUFFICIENT_DATA');
    bad(() => choiceParam(q('category=x', ['category']), 'category', ['INSUFFICIENT_DATA']), /category must be one of INSUFFICIENT_DATA, got 'x'/);
  });
});
