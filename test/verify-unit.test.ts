// The pure parts of verify: the policy reader, verify's own flags, the report views, and the IAM policy simulator
// answers as AWS gives them (mocked: the emulator does not implement SimulatePrincipalPolicy).

import { Writable } from 'node:stream';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../src/aws/clients.js';
import type { PreparedSetup } from '../src/engine/setup.js';
import { type ProfileCatalog, validateOptions } from '../src/input/validate.js';
import type { PolicyStatement } from '../src/plan/policy-types.js';
import { createOutput } from '../src/report/output.js';
import { renderVerifyReport, verifyJson } from '../src/report/verify-view.js';
import { parseVerifyFlags } from '../src/verify/options.js';
import { allows, grantsTo, principalMatch, wildcardMatch } from '../src/verify/policy-eval.js';
import { simulateChecks } from '../src/verify/simulate.js';
import type { VerifyContext, VerifyReport } from '../src/verify/types.js';

const catalog: ProfileCatalog = {
  exists: (p) => ['xyz', 'abcd', 'tom'].includes(p),
  region: (p) => (p === 'xyz' ? 'ap-southeast-1' : 'ap-southeast-2'),
  names: () => ['abcd', 'tom', 'xyz'],
};
const TOM = { arn: 'arn:aws:iam::222222222222:user/tom-cruise', accountId: '222222222222' };
const CLINT = { arn: 'arn:aws:iam::222222222222:user/clint-eastwood', accountId: '222222222222' };
const OBJECTS = 'arn:aws:s3:::rubes-s3-bucket/*';

describe('reading policies', () => {
  it('matches IAM wildcards, actions case-insensitively', () => {
    expect(wildcardMatch('s3:Get*', 's3:getobject', true)).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::rubes-s3-bucket/*', 'arn:aws:s3:::rubes-s3-bucket/a/b.txt')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::rubes-s3-bucket/*', 'arn:aws:s3:::rubes-s3-bucket')).toBe(false);
    expect(wildcardMatch('arn:aws:s3:::rubes?s3-bucket', 'arn:aws:s3:::rubes-s3-bucket')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::a.b', 'arn:aws:s3:::aXb')).toBe(false);
  });

  it('tells how a resource policy names a principal', () => {
    expect(principalMatch({ Effect: 'Allow', Principal: { AWS: TOM.arn } }, TOM)).toBe('named');
    expect(principalMatch({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' } }, TOM)).toBe('account');
    expect(principalMatch({ Effect: 'Allow', Principal: { AWS: '222222222222' } }, TOM)).toBe('account');
    expect(principalMatch({ Effect: 'Allow', Principal: '*' }, TOM)).toBe('anyone');
    expect(principalMatch({ Effect: 'Allow', Principal: { AWS: TOM.arn } }, CLINT)).toBeUndefined();
    expect(principalMatch({ Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' } }, TOM)).toBeUndefined();
  });

  it('lets an unconditional Deny win, and ignores a conditional one', () => {
    const allowRead: PolicyStatement = { Effect: 'Allow', Principal: { AWS: TOM.arn }, Action: 's3:GetObject', Resource: OBJECTS };
    const grant = { action: 's3:GetObject', resource: OBJECTS };
    expect(allows([allowRead], grant, TOM)).toBe(true);
    expect(allows([allowRead], grant, CLINT)).toBe(false);
    expect(allows([allowRead, { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: OBJECTS }], grant, TOM)).toBe(false);
    expect(
      allows(
        [allowRead, { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: OBJECTS, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
        grant,
        TOM,
      ),
    ).toBe(true);
    // Identity policies: statements without a Principal, NotAction read as "everything but".
    expect(allows([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], grant)).toBe(true);
    expect(allows([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }], grant)).toBe(false);
  });

  it('lists what a bucket policy grants a principal', () => {
    const policy = {
      Version: '2012-10-17' as const,
      Statement: [
        { Sid: 'Named', Effect: 'Allow' as const, Principal: { AWS: [TOM.arn, CLINT.arn] }, Action: 's3:GetObject', Resource: OBJECTS },
        { Sid: 'Fence', Effect: 'Deny' as const, Principal: '*' as const, Action: 's3:PutObject', Resource: OBJECTS },
      ],
    };
    expect(grantsTo(policy, CLINT).map((g) => [g.statement.Sid, g.match])).toEqual([['Named', 'named']]);
  });
});

describe("verify's own flags", () => {
  const raw = { authorizedUser: ['tom-cruise'] };

  it('defaults to no canary, and a 900 s canary timeout', () => {
    expect(parseVerifyFlags({}, raw, catalog)).toEqual({ options: { expectDenied: [], probes: [] }, problems: [] });
    expect(parseVerifyFlags({ canary: true }, raw, catalog).options.canary).toEqual({ timeoutSeconds: 900 });
    expect(parseVerifyFlags({ canary: true, canaryTimeout: '60', expectDenied: ['clint-eastwood'], probeProfile: ['tom-cruise=tom'] }, raw, catalog)).toEqual({
      options: { expectDenied: ['clint-eastwood'], probes: [{ name: 'tom-cruise', profile: 'tom' }], canary: { timeoutSeconds: 60 } },
      problems: [],
    });
  });

  it('lists every problem, each with its flag', () => {
    const { problems } = parseVerifyFlags(
      { expectDenied: ['tom-cruise', 'bad name!'], probeProfile: ['nobody=tom', 'tom-cruise=ghost', 'oops'], canaryTimeout: '0', canary: true },
      raw,
      catalog,
    );
    expect(problems).toEqual([
      { flag: '--expect-denied', message: '"tom-cruise" is also an --authorized-user: it cannot be both allowed and denied' },
      { flag: '--expect-denied', message: expect.stringContaining('"bad name!": an IAM user name may contain only') },
      {
        flag: '--probe-profile',
        message: '"nobody" is neither an --authorized-user nor an --expect-denied principal, so there is nothing to expect of the probe',
      },
      { flag: '--probe-profile', message: 'profile "ghost" is not in your AWS config or credentials file' },
      { flag: '--probe-profile', message: '"oops" is not NAME=PROFILE (for example tom-cruise=tom)' },
      { flag: '--canary-timeout', message: '"0" is not a whole number of seconds from 1 to 86400' },
    ]);
    expect(parseVerifyFlags({ canaryTimeout: '60' }, raw, catalog).problems).toEqual([{ flag: '--canary-timeout', message: 'needs --canary' }]);
  });
});

describe('the report', () => {
  const report: VerifyReport = {
    ok: false,
    source: { bucket: 'rubes-s3-bucket', region: 'ap-southeast-1', account: '111111111111' },
    destination: { bucket: 'clint-s3-bucket', region: 'ap-southeast-2', account: '222222222222' },
    checks: [
      { id: 'source.bucket', status: 'pass', message: 'rubes-s3-bucket exists' },
      { id: 'destination.policy', status: 'fail', message: 'clint-s3-bucket has no bucket policy', remedy: 'Run `replicate-setup wizard` with the same flags' },
      { id: 'canary', status: 'warn', message: 'replication could not be proven here', remedy: 'Run against AWS' },
      { id: 'simulate.reader:tom-cruise', status: 'skip', message: 'not checked' },
    ],
  };

  it('renders a table with ✓ ✗ ! –, each fail and warn followed by its remedy, then a summary', () => {
    const text = renderVerifyReport(report, new Chalk({ level: 0 }));
    expect(text.split('\n')).toEqual([
      'Verify rubes-s3-bucket (account 111111111111, ap-southeast-1) → clint-s3-bucket (account 222222222222, ap-southeast-2)',
      '  ✓ source.bucket               rubes-s3-bucket exists',
      '  ✗ destination.policy          clint-s3-bucket has no bucket policy',
      '                                → Run `replicate-setup wizard` with the same flags',
      '  ! canary                      replication could not be proven here',
      '                                → Run against AWS',
      '  – simulate.reader:tom-cruise  not checked',
      'Verify failed: 1 of 4 checks failed (1 passed, 1 warning, 1 skipped).',
    ]);
    expect(renderVerifyReport({ ...report, ok: true, checks: report.checks.slice(0, 1) }, new Chalk({ level: 0 }))).toMatch(
      /Verified: no check failed \(1 passed\)\.$/,
    );
  });

  it('colours only on a terminal, and never with NO_COLOR', () => {
    const sink = (isTTY: boolean) => Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY });
    const tty = createOutput(false, { stdout: sink(true), stderr: sink(true), env: {} });
    expect(renderVerifyReport(report, tty.color)).toMatch(/\u001b\[31m✗/);
    const noColor = createOutput(false, { stdout: sink(true), stderr: sink(true), env: { NO_COLOR: '1' } });
    expect(renderVerifyReport(report, noColor.color)).not.toMatch(/\u001b\[/);
    const pipe = createOutput(false, { stdout: sink(false), stderr: sink(false), env: {} });
    expect(renderVerifyReport(report, pipe.color)).not.toMatch(/\u001b\[/);
  });

  it('is {"ok", "checks": [{"id", "status", "message", "remedy"?}]} in JSON', () => {
    const json = verifyJson(report);
    expect(json.ok).toBe(false);
    expect(json.checks).toEqual([
      { id: 'source.bucket', status: 'pass', message: 'rubes-s3-bucket exists' },
      { id: 'destination.policy', status: 'fail', message: 'clint-s3-bucket has no bucket policy', remedy: 'Run `replicate-setup wizard` with the same flags' },
      { id: 'canary', status: 'warn', message: 'replication could not be proven here', remedy: 'Run against AWS' },
      { id: 'simulate.reader:tom-cruise', status: 'skip', message: 'not checked' },
    ]);
    expect(json.summary).toEqual({ pass: 1, fail: 1, warn: 1, skip: 1 });
  });
});

describe("AWS's policy simulator", () => {
  const iam = new IAMClient({ region: 'us-east-1' });
  const mock = mockClient(iam);
  const input = validateOptions(
    { sourceProfile: 'xyz', sourceBucket: 'rubes-s3-bucket', destProfile: 'abcd', destBucket: 'clint-s3-bucket', authorizedUser: ['tom-cruise'] },
    catalog,
  );
  const policy = {
    Version: '2012-10-17' as const,
    Statement: [{ Effect: 'Allow' as const, Principal: { AWS: TOM.arn }, Action: 's3:GetObject', Resource: OBJECTS }],
  };
  const vc = {
    prepared: {
      input,
      accounts: { source: '111111111111', destination: '222222222222' },
      live: { source: { ownership: 'ours', policy } },
    } as unknown as PreparedSetup,
    clients: { isAws: true, destination: { iam, profile: 'abcd' } } as unknown as AwsClients,
    options: { expectDenied: ['clint-eastwood'], probes: [] },
  } as unknown as VerifyContext;
  const answer = (who: string, decision: string) => (i: { PolicySourceArn?: string; ActionNames?: string[] }) =>
    i.PolicySourceArn?.endsWith(who) ? { EvaluationResults: [{ EvalActionName: i.ActionNames![0], EvalDecision: decision }] } : undefined;

  it('asks with the source bucket policy as resource policy, owned by the source account', async () => {
    mock.reset();
    mock.on(SimulatePrincipalPolicyCommand).callsFake((i) => answer('tom-cruise', 'allowed')(i) ?? answer('clint-eastwood', 'implicitDeny')(i));
    const checks = await simulateChecks(vc);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['simulate.reader:tom-cruise', 'pass'],
      ['simulate.denied:clint-eastwood', 'pass'],
    ]);
    const first = mock.commandCalls(SimulatePrincipalPolicyCommand)[0]!.args[0].input;
    expect(first).toMatchObject({ ResourceOwner: 'arn:aws:iam::111111111111:root', ResourcePolicy: JSON.stringify(policy) });
    expect(mock.commandCalls(SimulatePrincipalPolicyCommand).map((c) => [c.args[0].input.ActionNames, c.args[0].input.ResourceArns])).toContainEqual([
      ['s3:ListBucket'],
      ['arn:aws:s3:::rubes-s3-bucket'],
    ]);
  });

  it('fails a denied principal AWS would let in, and an authorised one it would refuse', async () => {
    mock.reset();
    mock.on(SimulatePrincipalPolicyCommand).callsFake((i) => answer('tom-cruise', 'implicitDeny')(i) ?? answer('clint-eastwood', 'allowed')(i));
    const checks = await simulateChecks(vc);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['simulate.reader:tom-cruise', 'fail'],
      ['simulate.denied:clint-eastwood', 'fail'],
    ]);
    expect(checks[0]!.message).toContain('s3:ListBucket implicitDeny');
    expect(checks[1]!.message).toContain('lets clint-eastwood s3:ListBucket and s3:GetObject');
  });

  it('warns with the missing permission when the profile may not simulate', async () => {
    mock.reset();
    mock.on(SimulatePrincipalPolicyCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const checks = await simulateChecks(vc);
    expect(checks.every((c) => c.status === 'warn')).toBe(true);
    expect(checks[0]!.remedy).toContain('iam:SimulatePrincipalPolicy');
  });
});
