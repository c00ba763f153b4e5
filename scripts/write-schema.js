// Writes schema/replicate-setup.schema.json from the table of options (src/input/config-schema.ts, built to dist/).
// test/config-schema.test.ts fails when the committed file differs from what the table gives: run `npm run schema`.
import { writeFileSync } from 'node:fs';
import { configFileSchema } from '../dist/input/config-schema.js';

const target = new URL('../schema/replicate-setup.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(configFileSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
