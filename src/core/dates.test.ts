// The season window is the one definition of "a date this season's games may have".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inSeasonWindow, lowerBound, seasonWindow } from './dates.js';

describe('seasonWindow', () => {
  test('October of the first year to June of the next', () => {
    assert.deepEqual(seasonWindow(2021), { from: '2021-10-01', to: '2022-06-30' });
    assert.deepEqual(seasonWindow(2022), { from: '2022-10-01', to: '2023-06-30' });
  });

  test('the bundled seasons fit: first game, last playoff game with odds', () => {
    assert.ok(inSeasonWindow('2021-10-19', 2021));
    assert.ok(inSeasonWindow('2022-06-16', 2021)); // 2022 Finals game 6, the last row of odds_2021-22.csv
    assert.ok(inSeasonWindow('2023-04-09', 2022));
  });

  test('another season, the summer and 2099 are outside', () => {
    assert.equal(inSeasonWindow('2022-10-18', 2021), false);
    assert.equal(inSeasonWindow('2021-09-30', 2021), false);
    assert.equal(inSeasonWindow('2022-07-01', 2021), false);
    assert.equal(inSeasonWindow('2099-12-31', 2021), false);
  });

  test('the two seasons the pandemic moved: the 2020 bubble ran to October, 2020-21 from December to July', () => {
    assert.deepEqual(seasonWindow(2019), { from: '2019-10-01', to: '2020-10-31' });
    assert.deepEqual(seasonWindow(2020), { from: '2020-12-01', to: '2021-07-31' });
    assert.ok(inSeasonWindow('2020-10-11', 2019)); // 2020 Finals game 6
    assert.ok(inSeasonWindow('2021-07-20', 2020)); // 2021 Finals game 6
    assert.equal(inSeasonWindow('2020-10-11', 2020), false);
  });
});

test('lowerBound: the first index whose date is on or after the date', () => {
  const dates = ['2021-10-19', '2021-10-20', '2021-10-22'] as const;
  assert.deepEqual(['2021-10-01', '2021-10-19', '2021-10-21', '2021-10-22', '2021-10-23'].map((d) => lowerBound(dates, d)), [0, 0, 2, 2, 3]);
  assert.equal(lowerBound([], '2021-10-19'), 0);
});
