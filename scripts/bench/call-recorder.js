// Counts the AWS calls a side makes. A loopback proxy stands in front of the moto server: both sides get
// its address as --endpoint-url, so every request passes through it, and it notes when each one started
// and ended. moto's own recorder (/moto-api/recorder/) logs requests but with no time, so it cannot tell
// concurrent calls from sequential ones; the proxy can. Used for separate, untimed runs only, so the
// proxy's small delay never enters the timings.
import { Agent, createServer, request as httpRequest } from 'node:http';

/** Service and region from the SigV4 credential scope: Credential=AKID/date/region/service/aws4_request. */
function scopeOf(headers) {
  const match = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(String(headers.authorization ?? ''));
  return match ? { region: match[1], service: match[2] } : { region: '?', service: '?' };
}

const BODY_KEPT = 4096;

/** IAM/STS: the Action parameter; S3: the method and sub-resource, e.g. `PUT ?versioning`, `HEAD bucket`. */
function actionOf(call, body) {
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] ?? /[?&]Action=([A-Za-z]+)/.exec(call.path)?.[1];
  if (action) return action;
  const url = new URL(call.path, 'http://x');
  const xId = url.searchParams.get('x-id');
  if (xId) return xId;
  const sub = [...url.searchParams.keys()].filter((key) => !['max-buckets', 'prefix'].includes(key));
  return `${call.method} ${sub.length > 0 ? `?${sub.join('&')}` : url.pathname === '/' ? 'service' : 'bucket'}`;
}

const isRead = (call, action) => (call.service === 's3' ? call.method === 'GET' || call.method === 'HEAD' : /^(Get|List|Simulate|Describe)/.test(action));

/**
 * Starts the proxy in front of `target` (e.g. http://127.0.0.1:5000). `delayMs` holds every answer back that long,
 * as a client far from the region would wait (the latency row).
 */
export async function startCallRecorder(target, { delayMs = 0 } = {}) {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const calls = [];
  const started = process.hrtime.bigint();
  const now = () => Number(process.hrtime.bigint() - started) / 1e6;

  const server = createServer((req, res) => {
    const call = { start: now(), end: undefined, method: req.method, path: req.url, ...scopeOf(req.headers), status: undefined, body: '' };
    calls.push(call);
    // IAM and STS name their action in the (small, form-encoded) body.
    req.on('data', (chunk) => {
      if (call.body.length < BODY_KEPT) call.body += chunk.toString('utf8', 0, BODY_KEPT);
    });
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      call.status = answer.statusCode;
      const relay = () => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
        answer.on('end', () => {
          call.end = now();
        });
      };
      if (delayMs > 0) {
        answer.pause();
        setTimeout(relay, delayMs);
      } else relay();
    });
    forward.on('error', (error) => {
      call.end = now();
      call.status = 502;
      res.writeHead(502).end(String(error));
    });
    req.pipe(forward);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    /** Calls seen since the last take(), and forgets them. */
    take() {
      return calls.splice(0, calls.length).map(({ body, ...call }) => {
        const action = actionOf(call, body);
        return { ...call, end: call.end ?? now(), action, write: !isRead(call, action) };
      });
    },
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The number of sequential round trips: the longest chain of calls in which each starts only after the
 * previous one has ended. Concurrent calls share a link; a script that waits for each call has one per call.
 */
export function sequentialRoundTrips(calls) {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth = [];
  let longest = 0;
  sorted.forEach((call, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) if (sorted[j].end <= call.start) before = Math.max(before, depth[j]);
    depth[i] = before + 1;
    longest = Math.max(longest, depth[i]);
  });
  return longest;
}

/** Calls per service, e.g. { s3: 11, iam: 4 }. */
export function callsByService(calls) {
  const counts = {};
  for (const call of calls) counts[call.service] = (counts[call.service] ?? 0) + 1;
  return counts;
}

/** How many calls ran at the same time, at most. */
export function peakConcurrency(calls) {
  const edges = calls.flatMap((call) => [
    { at: call.start, delta: 1 },
    { at: call.end, delta: -1 },
  ]);
  // At the same instant an end frees its slot before a start takes one.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let peak = 0;
  for (const edge of edges) {
    open += edge.delta;
    peak = Math.max(peak, open);
  }
  return peak;
}
