// The season window is the one definition of "a date this season's games may have".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inSeasonWindow, lowerBound, seasonWindow, seasonYearOf } from './dates.js';

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

// Round 7: seasonYearOf put October 2020 in 2020-21 while seasonWindow put it in 2019-20 (the bubble).
describe('seasonYearOf agrees with seasonWindow', () => {
  test('the boundary dates of the bundled and ordinary seasons: October onward is the new season', () => {
    const cases: [string, number][] = [
      ['2021-09-30', 2020], ['2021-10-01', 2021], ['2021-10-19', 2021], ['2022-06-16', 2021], ['2022-06-30', 2021],
      ['2022-07-01', 2021], ['2022-09-30', 2021], ['2022-10-01', 2022], ['2023-04-09', 2022], ['2023-06-30', 2022],
      ['2019-09-30', 2018], ['2019-10-01', 2019],
    ];
    assert.deepEqual(cases.map(([d]) => [d, seasonYearOf(d)]), cases);
  });

  test('2020: the bubble to 11 October is 2019-20; 2020-21 begins with its window in December, ends in July', () => {
    const cases: [string, number][] = [
      ['2020-03-11', 2019], ['2020-07-30', 2019], ['2020-09-30', 2019], ['2020-10-01', 2019], ['2020-10-05', 2019], ['2020-10-11', 2019],
      ['2020-10-31', 2019], ['2020-11-30', 2019], // between the windows: the season that ended
      ['2020-12-01', 2020], ['2020-12-22', 2020], ['2021-07-20', 2020], ['2021-07-31', 2020], ['2021-08-01', 2020], ['2021-10-01', 2021],
    ];
    assert.deepEqual(cases.map(([d]) => [d, seasonYearOf(d)]), cases);
  });

  test('only October-November 2020 moved: every other day of 2000-2030 keeps the October rule (the bundled 2021-22 and 2022-23 included)', () => {
    const moved: string[] = [];
    for (let d = '2000-01-01'; d <= '2030-12-31'; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
      const october = Number(d.slice(5, 7)) >= 10 ? Number(d.slice(0, 4)) : Number(d.slice(0, 4)) - 1;
      if (seasonYearOf(d) !== october) moved.push(d);
    }
    assert.deepEqual([moved.length, moved[0], moved.at(-1)], [61, '2020-10-01', '2020-11-30']);
  });

  test('every day of 2018-2024 in a window is in the window of its seasonYearOf', () => {
    const wrong: string[] = [];
    for (let d = '2018-01-01'; d <= '2024-12-31'; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
      const y = seasonYearOf(d);
      const inAny = [y - 1, y, y + 1].filter((s) => inSeasonWindow(d, s));
      if (inAny.length > 0 && !inAny.includes(y)) wrong.push(`${d}: ${y}, window of ${inAny.join()}`);
    }
    assert.deepEqual(wrong, []);
  });
});

test('lowerBound: the first index whose date is on or after the date', () => {
  const dates = ['2021-10-19', '2021-10-20', '2021-10-22'] as const;
  assert.deepEqual(['2021-10-01', '2021-10-19', '2021-10-21', '2021-10-22', '2021-10-23'].map((d) => lowerBound(dates, d)), [0, 0, 2, 2, 3]);
  assert.equal(lowerBound([], '2021-10-19'), 0);
});
