// Preload for start-up tests (`node --import <this> bin/courtside.mjs …`): appends the URL of every
// module the process loads to the file named by COURTSIDE_MODULE_LOG.
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url, { data: { file: process.env['COURTSIDE_MODULE_LOG'] } });
