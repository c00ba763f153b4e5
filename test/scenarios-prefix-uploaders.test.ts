// Scenarios 2 and 3 of the walkthrough against moto with two accounts: only a prefix replicates; only what certain
// users of the source account upload replicates. moto does not enforce bucket policies (the uploader fence) and
// echoes no replication Filter, so what is proven is the rules and the policy as sent, not that S3 denies a write.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIamUsers } from '../src/emulator/accounts.js';
import { partIdOf } from '../src/plan/names.js';
import { main } from '../src/program.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { pairSid } from './support/fixtures.js';
import { apply, bySid, crossAccount, pendingOnRerun, prepare, refused, sentPolicy, sentRules } from './support/scenario.js';

const emu = useEmulator();
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const buckets = () => ({ source: uniqueBucketName('rubes'), destination: uniqueBucketName('clint') });

describe('only objects under a prefix replicate', () => {
  it('sends one rule filtered on incidents/ and states the scope in words (rule as sent: moto echoes no Filter)', async () => {
    const b = buckets();
    const raw = crossAccount(b.source, b.destination, { prefix: 'incidents/' });

    const run = await apply(emu, raw);

    const rules = sentRules(run.calls);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ Filter: { Prefix: 'incidents/' }, DeleteMarkerReplication: { Status: 'Enabled' }, Priority: 1 });
    const notes = run.prepared.plan.notes;
    expect(notes).toContain(`Scope: objects under incidents/ in ${b.source} replicate to ${b.destination}; objects elsewhere in the bucket do not.`);
    expect(notes.some((n) => n.includes('no trailing slash'))).toBe(false);
    expect(await pendingOnRerun(emu, raw)).toEqual([]);
  });

  it('says "the whole bucket" without a prefix', async () => {
    const b = buckets();
    const { prepared } = await prepare(emu, crossAccount(b.source, b.destination));
    expect(prepared.plan.notes).toContain(`Scope: the whole bucket ${b.source} replicates to ${b.destination}.`);
  });

  it('warns when the prefix has no trailing slash, and keeps the prefix as given', async () => {
    const b = buckets();
    const run = await apply(emu, crossAccount(b.source, b.destination, { prefix: 'incidents' }));
    expect(run.prepared.plan.notes.find((n) => n.startsWith('Warning: --prefix "incidents" has no trailing slash'))).toContain(
      'use "incidents/" to mean the folder',
    );
    expect(sentRules(run.calls)[0]?.Filter).toEqual({ Prefix: 'incidents' });
  });
});

describe('only objects uploaded by certain users replicate', () => {
  it('gives each uploader a rule on <prefix><name>/ with unique priorities and fences each prefix with a Deny on aws:PrincipalArn (policy as sent: moto does not enforce the Deny)', async () => {
    const b = buckets();
    const [alice, bob] = await createIamUsers(emu.endpoint, emu.setup.credentials.source, ['alice', 'bob']);
    const raw = crossAccount(b.source, b.destination, { prefix: 'incidents/', uploader: ['alice', 'bob'], authorizedUser: ['tom-cruise'] });

    const run = await apply(emu, raw);

    const rules = sentRules(run.calls);
    expect(rules.map((r) => r.Filter.Prefix)).toEqual(['incidents/alice/', 'incidents/bob/']);
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(2);
    const policy = bySid(sentPolicy(run.calls, 'PutBucketPolicy', 'source'));
    expect(policy[pairSid(b.source, b.destination, 'OnlyUploader', partIdOf(alice!))]).toEqual({
      Sid: pairSid(b.source, b.destination, 'OnlyUploader', partIdOf(alice!)),
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${b.source}/incidents/alice/*`,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': alice } },
    });
    expect(policy[pairSid(b.source, b.destination, 'OnlyUploader', partIdOf(bob!))]?.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': bob } });
    // The readers' statements sit beside the fences.
    expect(policy[pairSid(b.source, b.destination, 'AuthorizedRead')]?.Principal).toEqual({ AWS: ['arn:aws:iam::222222222222:user/tom-cruise'] });

    const note = run.prepared.plan.notes.find((n) => n.startsWith('Only objects uploaded by alice, bob replicate.'));
    expect(note).toContain('S3 replication filters on key prefix, not on who uploaded');
    expect(note).toContain('(incidents/alice/, incidents/bob/)');
    expect(note).toContain('aws:PrincipalArn');
    expect(run.prepared.plan.notes).toContain(
      `Scope: objects under incidents/alice/, incidents/bob/ (each written only by its uploader) in ${b.source} replicate to ${b.destination}; objects elsewhere in the bucket do not.`,
    );
    expect(await pendingOnRerun(emu, raw)).toEqual([]);
  });

  it('lets uploaders encrypt with the source key under sse-kms (key policy as sent)', async () => {
    const b = buckets();
    const [alice] = await createIamUsers(emu.endpoint, emu.setup.credentials.source, ['alice']);
    const run = await apply(emu, crossAccount(b.source, b.destination, { uploader: ['alice'], encryption: 'sse-kms' }));
    const statements = sentPolicy(run.calls, 'PutKeyPolicy', 'source').Statement;
    expect(statements.find((s) => s.Sid?.startsWith('ReplicateSetupUploaderEncrypt'))).toMatchObject({
      Principal: { AWS: [alice] },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    });
  });

  it('refuses an uploader that does not exist in the source account, before any write (exit 2)', async () => {
    const b = buckets();
    const { error, writes } = await refused(emu, crossAccount(b.source, b.destination, { uploader: ['nobody', 'arn:aws:iam::222222222222:user/tom-cruise'] }));
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([
      {
        flag: '--uploader',
        message:
          'arn:aws:iam::111111111111:user/nobody does not exist in account 111111111111 (profile "xyz") (a bare name means an IAM user; for a role, pass its ARN)',
      },
      {
        flag: '--uploader',
        message: `arn:aws:iam::222222222222:user/tom-cruise is not in the source account 111111111111: uploaders are users or roles of the account that owns ${b.source}`,
      },
    ]);
    expect(writes).toEqual([]);
  });

  it('refuses --uploader with --preset log-backup, naming both flags (exit 2 from the CLI, before any AWS call: the endpoint is a dead port)', async () => {
    for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const b = buckets();
    const code = await main([
      'node',
      'replicate-setup',
      'plan',
      '--source-profile',
      'xyz',
      '--source-bucket',
      b.source,
      '--dest-profile',
      'abcd',
      '--dest-bucket',
      b.destination,
      '--uploader',
      'alice',
      '--preset',
      'log-backup',
      '--endpoint-url',
      'http://127.0.0.1:9',
      '--json',
    ]);
    expect(code).toBe(2);
    const { error } = JSON.parse(out.join('')) as { error: { problems: { flag: string; message: string }[] } };
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.flag).toBe('--uploader');
    expect(error.problems[0]!.message).toContain('cannot be combined with --preset log-backup');
  });
});
