// Preload for start-up tests (`node --import <this> bin/courtside.mjs …`): appends the URL of every
// module the process loads to the file named by COURTSIDE_MODULE_LOG — ES modules through loader
// hooks, and CommonJS modules loaded with require() (e.g. @duckdb/node-api, zod) by their path.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env['COURTSIDE_MODULE_LOG'];
register('./record-modules-hooks.mjs', import.meta.url, { data: { file } });

const Module = createRequire(import.meta.url)('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exports = load.call(this, request, parent, isMain);
  if (file) {
    try {
      appendFileSync(file, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      // a request that does not resolve to a file: nothing to record
    }
  }
  return exports;
};
