// Writes schema/replicate-setup.schema.json from the table of options (src/input/config-schema.ts, built to dist/).
// test/fleet-file.test.ts fails when the committed file differs from what the table gives: run `npm run schema`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configFileSchema } from '../dist/input/config-schema.js';

const target = new URL('../schema/replicate-setup.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(configFileSchema(), null, 2)}\n`);
// As `npm run lint` (biome check) wants the committed file: short arrays on one line.
execFileSync(fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)), ['format', '--write', fileURLToPath(target)], { stdio: 'ignore' });
console.log(`wrote ${target.pathname}`);
