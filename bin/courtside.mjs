#!/usr/bin/env node
// Entry point of the `courtside` command: runs the compiled and bundled JavaScript in dist/bundle/
// (built by `npm ci` through the prepare script, or by `npm run build` after editing src/).
let cli;
try {
  cli = await import('../dist/bundle/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/bundle/main.js')) throw err;
  process.stderr.write('courtside: dist/ is not built: run `npm run build` (npm ci does it)\n');
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
