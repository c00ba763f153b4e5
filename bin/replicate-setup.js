#!/usr/bin/env node
// The CLI is TypeScript compiled to dist/ (`npm run build`; npm pack / npm publish run it through `prepack`).
import module from 'node:module';

// Node's compile cache makes every later start-up skip re-parsing the AWS SDK (about 40 ms).
module.enableCompileCache?.();
try {
  await import('../dist/cli.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('replicate-setup: not built yet; run `npm run build` in the project folder first.\n');
    process.exit(1);
  }
  throw error;
}
