import { randomBytes } from 'node:crypto';

/** A run id that sorts by start time: run_20211119T120102Z_3f9a1c. */
export function newRunId(prefix = 'run'): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${prefix}_${stamp}_${randomBytes(3).toString('hex')}`;
}
