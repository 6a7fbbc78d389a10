import { tempWarehouse } from '../../testing/memory-warehouse.js';
import { generateSeason } from './season-fixture.js';
import { batchParams } from './run-batch.js';
import { PROCESSORS } from '../index.js';
const t = await tempWarehouse();
await generateSeason(t.wh, { playersPerTeam: 30 });
for (const def of PROCESSORS) {
  const p = batchParams(def, { from: '2021-10-01', to: '2022-06-30' });
  let s = Date.now();
  await t.wh.exec(`INSERT INTO ${def.outputTable} BY NAME SELECT * FROM (${def.computeSql})`, p);
  const a = Date.now() - s; s = Date.now();
  const f = await t.wh.query(`SELECT count(*) n FROM (${def.failuresSql})`, p);
  const b = Date.now() - s; s = Date.now();
  for (const au of def.audits) await t.wh.query(au.sql, p);
  console.log(def.key, 'insert', a, 'failures', b, 'audits', Date.now() - s, f);
}
await t.cleanup();
