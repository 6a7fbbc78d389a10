// @duckdb/node-api is a CommonJS package. Imported from an ES module, Node first scans its files for
// the names they export (cjs-module-lexer): ~50 ms of every command that opens a warehouse, more than
// the rest of loading it. Required, it loads as it is. Types still come from `import type`.
import { createRequire } from 'node:module';
import type * as DuckDBNodeApi from '@duckdb/node-api';

export const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDBNodeApi;
