// The fit settings of a pred batch from its thresholds: the defaults, configured whole numbers, and a clear
// error for values no fit can use (min_training_rows 0 used to fail inside the solver with "normal
// equations not positive definite at column 0"; a negative window silently kept the prior model forever).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FIT_SETTINGS, settingsFrom } from './fit-models.js';

test('thresholds: defaults, configured values, and a clear error naming a bad one', () => {
  assert.deepEqual(settingsFrom({ from: '2021-11-01', to: '2021-11-07' }), DEFAULT_FIT_SETTINGS);
  const s = settingsFrom({ min_training_rows: 1, training_window_days: 200 });
  assert.deepEqual([s.minTrainingRows, s.trainingWindowDays, s.ridge], [1, 200, DEFAULT_FIT_SETTINGS.ridge]);
  for (const [key, value] of [['min_training_rows', 0], ['min_training_rows', -5], ['training_window_days', 0], ['training_window_days', -7], ['training_window_days', 1.5]] as const) {
    assert.throws(() => settingsFrom({ [key]: value }), new RegExp(`^Error: threshold pred\\.${key} must be a whole number >= 1 .*got ${String(value).replace('.', '\\.')}$`));
  }
});
