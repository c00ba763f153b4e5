// A small fake of the S3 Control jobs API (CreateJob, DescribeJob, ListJobs, UpdateJobStatus: REST-XML under
// /v20180820/jobs), which moto does not have, in front of moto for everything else: an HTTP proxy on 127.0.0.1 that
// answers the jobs paths itself and forwards every other request to moto unchanged. The CLI is pointed at it with
// --endpoint-url, so the SDK's real serialisation and S3 Control's endpoint handling are exercised.
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';

export interface FakeJob {
  id: string;
  account: string;
  /** The CreateJob body as the SDK serialised it, parsed. */
  request: Record<string, unknown>;
  token: string;
  description: string;
  status: string;
  created: Date;
  total: number;
  succeeded: number;
  failed: number;
  /** DescribeJob calls so far: each one moves the job one state on. */
  polls: number;
  failureReasons: { FailureCode: string; FailureReason: string }[];
}

export interface FakeBehaviour {
  /** Tasks the job will have (the objects the generated manifest lists). */
  tasks: number;
  /** Tasks that fail, with this report error code. */
  failTasks?: { count: number; code: string };
  /** The whole job fails with these reasons once it would start. */
  failJob?: { code: string; reason: string };
  /** Writes the completion report (failed tasks) where the job's Report points, e.g. into moto. */
  writeReport?: (bucket: string, key: string, csv: string) => Promise<void>;
}

const NS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';
const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

export class S3ControlFake {
  readonly jobs: FakeJob[] = [];
  /** Every jobs-API request, in order: method, path and query, and the CreateJob bodies parsed. */
  readonly requests: { method: string; path: string; body?: Record<string, unknown> }[] = [];
  behaviour: FakeBehaviour = { tasks: 0 };
  private server: Server | undefined;

  constructor(private readonly upstream: () => string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  reset(behaviour: FakeBehaviour = { tasks: 0 }): void {
    this.jobs.length = 0;
    this.requests.length = 0;
    this.behaviour = behaviour;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/v20180820/jobs')) return this.forward(req, res);
    const body = await readBody(req);
    const account = String(req.headers['x-amz-account-id'] ?? '');
    const path = `${url.pathname}${url.search}`;
    const id = /^\/v20180820\/jobs\/([^/]+)/.exec(url.pathname)?.[1];
    if (req.method === 'POST' && url.pathname === '/v20180820/jobs') {
      const parsed = (parser.parse(body) as { CreateJobRequest: Record<string, unknown> }).CreateJobRequest;
      this.requests.push({ method: 'POST', path, body: parsed });
      return this.xml(res, 'CreateJobResult', `<JobId>${this.create(account, parsed).id}</JobId>`);
    }
    this.requests.push({ method: req.method ?? 'GET', path });
    if (req.method === 'GET' && url.pathname === '/v20180820/jobs') {
      const members = this.jobs.filter((job) => job.account === account).map((job) => `<member>${listFields(job)}</member>`);
      return this.xml(res, 'ListJobsResult', `<Jobs>${members.join('')}</Jobs>`);
    }
    const job = this.jobs.find((j) => j.id === id && j.account === account);
    if (!job) return this.error(res, 404, 'NoSuchJob', `The specified job ${id} does not exist`);
    if (req.method === 'GET') {
      await this.advance(job);
      return this.xml(res, 'DescribeJobResult', `<Job>${describeFields(job)}</Job>`);
    }
    if (req.method === 'POST' && url.pathname.endsWith('/status')) {
      if (url.searchParams.get('requestedJobStatus') === 'Cancelled' && !['Complete', 'Failed', 'Cancelled'].includes(job.status)) job.status = 'Cancelled';
      return this.xml(res, 'UpdateJobStatusResult', `<JobId>${job.id}</JobId><Status>${job.status}</Status>`);
    }
    return this.error(res, 400, 'InvalidRequest', `fake S3 Control: ${req.method} ${path} is not faked`);
  }

  /** As AWS does with a ClientRequestToken it has seen: the same job again, not a second one. */
  private create(account: string, request: Record<string, unknown>): FakeJob {
    const token = String(request.ClientRequestToken ?? '');
    const existing = this.jobs.find((job) => job.account === account && job.token === token);
    if (existing) return existing;
    const job: FakeJob = {
      id: randomUUID(),
      account,
      request,
      token,
      description: String(request.Description ?? ''),
      status: 'New',
      created: new Date(Date.now() - 1000 * (this.jobs.length + 1)),
      total: 0,
      succeeded: 0,
      failed: 0,
      polls: 0,
      failureReasons: [],
    };
    this.jobs.unshift(job);
    return job;
  }

  /** New → Preparing → Active (half done) → Complete (or Failed), one state per DescribeJob. */
  private async advance(job: FakeJob): Promise<void> {
    const { tasks, failTasks, failJob } = this.behaviour;
    job.polls += 1;
    if (['Complete', 'Failed', 'Cancelled'].includes(job.status)) return;
    if (job.status === 'New') job.status = 'Preparing';
    else if (job.status === 'Preparing' && failJob) {
      job.status = 'Failed';
      job.failureReasons = [{ FailureCode: failJob.code, FailureReason: failJob.reason }];
    } else if (job.status === 'Preparing') {
      job.status = 'Active';
      job.total = tasks;
      job.succeeded = Math.floor(tasks / 2);
    } else {
      const failed = failTasks?.count ?? 0;
      job.status = 'Complete';
      job.succeeded = tasks - failed;
      job.failed = failed;
      if (failed > 0 && failTasks && this.behaviour.writeReport) await this.writeReport(job, failed, failTasks.code);
    }
  }

  private async writeReport(job: FakeJob, failed: number, code: string): Promise<void> {
    const report = job.request.Report as { Bucket: string; Prefix?: string };
    const bucket = report.Bucket.replace(/^arn:aws:s3:::/, '');
    const lines = Array.from({ length: failed }, (_, i) => `${bucket},existing/object-${i},,failed,${code},403,Access Denied`);
    await this.behaviour.writeReport!(bucket, `${report.Prefix ?? ''}job-${job.id}/results/report.csv`, `${lines.join('\n')}\n`);
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const target = new URL(this.upstream());
    const proxied = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on('error', (error) => res.writeHead(502).end(String(error)));
    req.pipe(proxied);
  }

  private xml(res: ServerResponse, root: string, inner: string): void {
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID() });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">${inner}</${root}>`);
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Code>${code}</Code><Message>${esc(message)}</Message></Error></ErrorResponse>`);
  }
}

function progress(job: FakeJob): string {
  return `<ProgressSummary><TotalNumberOfTasks>${job.total}</TotalNumberOfTasks><NumberOfTasksSucceeded>${job.succeeded}</NumberOfTasksSucceeded><NumberOfTasksFailed>${job.failed}</NumberOfTasksFailed><Timers><ElapsedTimeInActiveSeconds>${job.polls * 30}</ElapsedTimeInActiveSeconds></Timers></ProgressSummary>`;
}

const listFields = (job: FakeJob): string =>
  `<JobId>${job.id}</JobId><Description>${esc(job.description)}</Description><Operation>S3ReplicateObject</Operation><Priority>10</Priority><Status>${job.status}</Status><CreationTime>${job.created.toISOString()}</CreationTime>${progress(job)}`;

function describeFields(job: FakeJob): string {
  const reasons = job.failureReasons.map(
    (f) => `<member><FailureCode>${esc(f.FailureCode)}</FailureCode><FailureReason>${esc(f.FailureReason)}</FailureReason></member>`,
  );
  return `${listFields(job)}<ConfirmationRequired>false</ConfirmationRequired>${reasons.length ? `<FailureReasons>${reasons.join('')}</FailureReasons>` : ''}`;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
