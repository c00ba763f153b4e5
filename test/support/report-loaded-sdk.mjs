// Preloaded into a CLI run (NODE_OPTIONS=--import) by test/lazy-sdk.test.ts: at exit, writes which AWS SDK client
// packages the process loaded, one line on stderr. The packages are CommonJS, so require's cache lists them all.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
process.on('exit', () => {
  const loaded = new Set(Object.keys(require.cache).flatMap((path) => /node_modules\/(@aws-sdk\/client-[^/]+)\//.exec(path)?.[1] ?? []));
  process.stderr.write(`\nloaded SDK clients: ${[...loaded].sort().join(' ')}\n`);
});
