import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refitDateOf, refitDatesFor, trainingWindow } from './refit-schedule.js';

test('the refit of a date is the Monday on or before it; its training rows end the day before', () => {
  assert.equal(refitDateOf('2022-11-14'), '2022-11-14'); // a Monday: refitted that morning
  assert.equal(refitDateOf('2022-11-20'), '2022-11-14'); // Sunday
  assert.equal(refitDateOf('2022-11-13'), '2022-11-07');
  assert.equal(refitDateOf('2023-01-01'), '2022-12-26'); // across the year
  assert.deepEqual(refitDatesFor(['2022-11-20', '2022-11-14', '2022-11-21', '2022-11-15']), ['2022-11-14', '2022-11-21']);
  assert.deepEqual(trainingWindow('2022-11-14', 365), { from: '2021-11-14', to: '2022-11-13' });
});
