// An endpoint that accepts connections and never answers (a local TCP server on 127.0.0.1 that reads and never
// writes): the built CLI must fail with a NETWORK error naming the endpoint once the per-call bound is over, in --json
// mode as one error object. The bound is ~30 s by default; REPLICATE_SETUP_CALL_TIMEOUT_MS shortens it here.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTimeoutMs, DEFAULT_CALL_TIMEOUT_MS } from '../src/aws/clients.js';
import { ensureBuilt, onlyJsonObject, runCli, seedArgs } from './support/cli.js';

let server: Server;
const sockets = new Set<Socket>();
let endpoint = '';
let profileEnv: Record<string, string> = {};

beforeAll(async () => {
  await ensureBuilt();
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const dir = await mkdtemp(join(tmpdir(), 'silent-endpoint-'));
  await writeFile(join(dir, 'config'), '[profile xyz]\nregion = ap-southeast-1\n\n[profile abcd]\nregion = ap-southeast-2\n');
  const keys = 'aws_access_key_id = AKIASILENTEXAMPLE\naws_secret_access_key = silent-secret\n';
  await writeFile(join(dir, 'credentials'), `[xyz]\n${keys}\n[abcd]\n${keys}`);
  profileEnv = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('an endpoint that accepts connections and never answers', () => {
  it('bounds each call at about 30 s by default, configurable for tests', () => {
    expect(DEFAULT_CALL_TIMEOUT_MS).toBe(30_000);
    expect(callTimeoutMs({})).toBe(30_000);
    expect(callTimeoutMs({ REPLICATE_SETUP_CALL_TIMEOUT_MS: '1500' })).toBe(1_500);
    expect(callTimeoutMs({ REPLICATE_SETUP_CALL_TIMEOUT_MS: 'soon' })).toBe(30_000);
  });

  it('wizard --json fails with one NETWORK error object naming the endpoint, not silence', async () => {
    const names = { src: 'silent-src-bucket', dst: 'silent-dst-bucket', role: 'silent-role' };
    const started = Date.now();

    const result = await runCli(['wizard', '--json', '--yes', ...seedArgs(names), '--endpoint-url', endpoint], {
      ...profileEnv,
      REPLICATE_SETUP_CALL_TIMEOUT_MS: '1500',
    });

    expect(result.code, result.stderr).toBe(1);
    const report = onlyJsonObject(result.stdout);
    expect(report.ok).toBe(false);
    const error = report.error as { code: string; message: string; remedy: string };
    expect(error.code).toBe('NETWORK');
    expect(error.message).toContain(`no answer from ${endpoint} within 2 s`);
    expect(error.remedy).toMatch(/--endpoint-url/);
    // Well inside the 6 tries × 60 s the SDK alone would wait.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});
