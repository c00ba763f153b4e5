// A loopback HTTP proxy in front of moto for fleet tests: counts the calls in flight per access key and service (read
// from the SigV4 Authorization header) and the most ever in flight at once, and can answer chosen requests with S3's
// 403 AccessDenied (moto does not enforce IAM here, so this stands in for a missing permission).
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface CountingProxy {
  endpoint: string;
  /** The most calls ever in flight at once, per `accessKeyId|service`. */
  peak: Map<string, number>;
  /** Every call, as `METHOD path` with its key; `action` for the services that name it in the body or a header. */
  calls: { key: string; method: string; url: string; action?: string }[];
  /** Requests for which this returns true are refused with AccessDenied. */
  deny: (req: IncomingMessage) => boolean;
  /** How long to hold a request before passing it on, in ms (0: at once): a slow call, to act while it is under way. */
  delay: (req: IncomingMessage) => number;
  close(): Promise<void>;
}

const keyOf = (req: IncomingMessage): string => {
  const match = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  return match ? `${match[1]}|${match[2]}` : 'unsigned|?';
};

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const inFlight = new Map<string, number>();
  const proxy: Partial<CountingProxy> & {
    peak: Map<string, number>;
    calls: CountingProxy['calls'];
    deny: CountingProxy['deny'];
    delay: CountingProxy['delay'];
  } = {
    peak: new Map(),
    calls: [],
    deny: () => false,
    delay: () => 0,
  };
  const server: Server = createServer((req, res) => {
    const key = keyOf(req);
    const call: CountingProxy['calls'][number] = { key, method: req.method ?? '', url: req.url ?? '' };
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') call.action = target.split('.').pop() ?? target;
    proxy.calls.push(call);
    // Query-protocol services (IAM, STS, SNS…) name the action in the form body: read it as it streams through.
    req.on('data', (chunk: Buffer) => {
      const found = /(?:^|&)Action=([A-Za-z]+)/.exec(chunk.toString('utf8'));
      if (found && !call.action) call.action = found[1];
    });
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    proxy.peak.set(key, Math.max(proxy.peak.get(key) ?? 0, inFlight.get(key)!));
    const done = (): void => {
      inFlight.set(key, inFlight.get(key)! - 1);
    };
    if (proxy.deny(req)) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      done();
      return;
    }
    const pass = (): void => {
      const forward = request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', done);
      });
      forward.on('error', () => {
        done();
        res.destroy();
      });
      req.pipe(forward);
    };
    const held = proxy.delay(req);
    if (held > 0) {
      req.pause();
      setTimeout(pass, held);
    } else pass();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as CountingProxy;
}

/**
 * For a test file that starts proxies in its tests: `start` gives one in front of `target`, closed after the test.
 * Call at the top of the file, as useEmulator.
 */
export function useCountingProxies(): { start(target: string): Promise<CountingProxy> } {
  const open: CountingProxy[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((proxy) => proxy.close()));
  });
  return {
    start: async (target) => {
      const proxy = await startCountingProxy(target);
      open.push(proxy);
      return proxy;
    },
  };
}
