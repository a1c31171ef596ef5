// `npm run pii:rotate [-- --batch-size 200 --pause-ms 0]`: re-seals every resident's personal data with PII_KEY,
// reading what older keys sealed through PII_KEYS_PREVIOUS, while the API keeps running (DATABASE_URL or the embedded server).
// Stopped anywhere, run it again: it takes up where it stopped. Exit code 0 once nothing is left under another key.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnv } from '@lib/config';
import { buildDataSourceOptions } from '@lib/db';
import { PersonalDataRotation, personalDataCipherFor } from '@lib/accounts';
import { ALL_ENTITIES, prepareDatabase } from '@lib/schema';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < (name === 'batch-size' ? 1 : 0)) throw new Error(`--${name} must be a whole number (got "${raw}")`);
  return Number(raw);
}

(async () => {
  const batchSize = option('batch-size', 200);
  const pauseMs = option('pause-ms', 0);
  const env = loadEnv();
  const db = await prepareDatabase(env, console.log);
  const dataSource = await new DataSource(buildDataSourceOptions(db.url, ALL_ENTITIES)).initialize();
  try {
    const cipher = personalDataCipherFor(env);
    const rotation = new PersonalDataRotation(dataSource, cipher);
    const started = Date.now();
    let shown = 0;
    const total = await rotation.remaining();
    console.log(`pii:rotate: ${total} residents to re-seal with the current key (${cipher.currentPrefix}…), ${batchSize} per transaction`);
    const result = await rotation.rotate({
      batchSize,
      pauseMs,
      onProgress: (p) => {
        if (Date.now() - shown < 1000) return;
        shown = Date.now();
        console.log(`pii:rotate: ${p.rotated} / ${p.total} re-sealed (${p.total ? Math.floor((100 * p.rotated) / p.total) : 100}%)`);
      },
    });
    const left = await rotation.remaining();
    console.log(`pii:rotate: ${result.rotated} re-sealed in ${Date.now() - started} ms; ${left} left under another key`);
    if (result.unreadable.length) console.log(`pii:rotate: open with no configured key (left as they are): ${result.unreadable.join(', ')}`);
    if (result.conflicts.length) console.log(`pii:rotate: fingerprint held by another resident (left as they are): ${result.conflicts.join(', ')}`);
    if (left === 0) console.log('pii:rotate: done. Remove PII_KEYS_PREVIOUS from every instance, then retire the old key.');
    else process.exitCode = 1;
  } finally {
    await dataSource.destroy();
    await db.embedded?.stop();
  }
})().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
