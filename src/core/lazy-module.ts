// Libraries only some runs need, loaded on first use instead of at start-up: zod validates a config
// or progress file only when there is one to read, cli-progress draws a bar only on a terminal.
// Loaded synchronously (createRequire, their CommonJS builds) because their callers are synchronous;
// each costs tens of milliseconds of start-up that a command without the file or terminal never pays.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let zodModule: typeof import('zod') | undefined;
let cliProgressModule: typeof import('cli-progress') | undefined;

/** The `zod` module (its `z`), loaded on first call. */
export function zod(): typeof import('zod') {
  zodModule ??= require('zod') as typeof import('zod');
  return zodModule;
}

/** The `cli-progress` module, loaded on first call. */
export function cliProgress(): typeof import('cli-progress') {
  cliProgressModule ??= require('cli-progress') as typeof import('cli-progress');
  return cliProgressModule;
}
