import { GetBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { Chalk } from 'chalk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApplyFailedError } from '../src/engine/apply.js';
import { applySetup } from '../src/engine/setup.js';
import { defaultKeyAlias } from '../src/plan/key-policies.js';
import { KNOWN_AFTER_APPLY } from '../src/plan/pending.js';
import { renderPlan } from '../src/report/plan-view.js';
import { useEmulator } from './support/emulator.js';
import { apply, bySid, crossAccount, pendingOnRerun, prepare, sent, sentPolicy, sentRules } from './support/scenario.js';

const emu = useEmulator();
afterEach(() => vi.unstubAllEnvs());

import { buckets, keyPolicy, ROLE_ARN, ROOT_STATEMENT, TOM } from './support/kms.js';

describe('sse-kms without keys given', () => {
  it('plans the new keys as "(known after apply)", then creates a key per account and sends every document with the real ARNs (documents only: moto enforces no KMS grant)', async () => {
    const b = buckets();
    const raw = crossAccount(b.source, b.destination, { encryption: 'sse-kms', authorizedUser: ['tom-cruise'] });

    const planned = await prepare(emu, raw);
    const keySteps = planned.prepared.plan.changes.filter((c) => c.kind === 'kms-key');
    expect(keySteps.map((c) => [c.id, c.action])).toEqual([
      ['source-kms-key', 'create'],
      ['destination-kms-key', 'create'],
    ]);
    const text = renderPlan(planned.prepared.plan, planned.prepared.input, planned.prepared.accounts, new Chalk({ level: 0 }));
    expect(text).toContain(`KMS key ${defaultKeyAlias(b.source)} for ${b.source}, ARN (known after apply)`);
    expect(text).toContain('Least-privilege replication policy on s3_replication_role (key ARN known after apply)');
    expect(text).toContain('tom-cruise can open them: each key policy and their identity policy allow kms:Decrypt through S3');
    expect(planned.calls.filter((c) => /^(Create|Put)/.test(c.command))).toEqual([]);

    const run = await apply(emu, raw);
    expect(run.steps.filter((s) => s.status !== 'done' && s.status !== 'unchanged')).toEqual([]);
    // Finished steps name what apply found out: no step that is done still says "(known after apply)".
    expect(run.steps.filter((s) => s.status === 'done' && s.title.includes('known after apply'))).toEqual([]);
    expect(run.steps.find((s) => s.id === 'source-kms-key')!.title).toMatch(/, ARN arn:aws:kms:ap-southeast-1:111111111111:key\//);
    expect(JSON.stringify(run.writes)).not.toContain(KNOWN_AFTER_APPLY);

    const aliases = sent(run.calls, 'CreateAlias').map((i) => i.AliasName);
    expect(aliases.sort()).toEqual([defaultKeyAlias(b.destination), defaultKeyAlias(b.source)].sort());
    const sourceKey = run.steps.find((s) => s.id === 'source-kms-key-policy')!.resource;
    const destKey = run.steps.find((s) => s.id === 'destination-kms-key-policy')!.resource;
    expect(sourceKey).toMatch(/^arn:aws:kms:ap-southeast-1:111111111111:key\//);
    expect(destKey).toMatch(/^arn:aws:kms:ap-southeast-2:222222222222:key\//);

    // Both buckets default to their own key with S3 Bucket Key on (moto reads this back faithfully).
    for (const [side, bucket, key] of [
      ['source', b.source, sourceKey],
      ['destination', b.destination, destKey],
    ] as const) {
      const { ServerSideEncryptionConfiguration } = await emu.clients(side).s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
      expect(ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key },
        BucketKeyEnabled: true,
      });
    }

    // The rule replicates KMS-encrypted objects and encrypts replicas with the destination key.
    const [rule] = sentRules(run.calls);
    expect(rule?.SourceSelectionCriteria).toEqual({ SseKmsEncryptedObjects: { Status: 'Enabled' } });
    expect(rule?.Destination.EncryptionConfiguration).toEqual({ ReplicaKmsKeyID: destKey });

    // The role: decrypt the source key, encrypt with the destination key, both only through S3 for these buckets.
    const role = bySid(sentPolicy(run.calls, 'PutRolePolicy', 'source', 'PolicyDocument'));
    expect(role.DecryptSourceObjects).toEqual({
      Sid: 'DecryptSourceObjects',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: sourceKey,
      Condition: {
        StringLike: {
          'kms:ViaService': 's3.ap-southeast-1.amazonaws.com',
          'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${b.source}`, `arn:aws:s3:::${b.source}/*`],
        },
      },
    });
    expect(role.EncryptReplicas).toMatchObject({
      Action: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: destKey,
      Condition: {
        StringLike: {
          'kms:ViaService': 's3.ap-southeast-2.amazonaws.com',
          'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${b.destination}`, `arn:aws:s3:::${b.destination}/*`],
        },
      },
    });

    // The authorised user may decrypt both keys, through S3 only.
    const reader = bySid(sentPolicy(run.calls, 'PutUserPolicy', 'destination', 'PolicyDocument'));
    expect(reader.DecryptReplicatedObjects).toMatchObject({ Action: ['kms:Decrypt'], Resource: [sourceKey, destKey] });

    // Key policies as moto stores them: the account root statement kept, ours added.
    const destPolicy = bySid(await keyPolicy(emu.clients('destination').kms, destKey));
    expect(destPolicy['Enable IAM User Permissions']).toEqual(ROOT_STATEMENT('222222222222'));
    const encrypt = Object.values(destPolicy).find((s) => s.Sid?.startsWith('ReplicateSetupReplicaEncrypt'));
    expect(encrypt).toMatchObject({ Principal: { AWS: ROLE_ARN }, Action: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'] });
    const replicaReaders = Object.values(destPolicy).find((s) => s.Sid?.startsWith('ReplicateSetupReplicaReaderDecrypt'));
    expect(replicaReaders).toMatchObject({ Principal: { AWS: [TOM] }, Action: 'kms:Decrypt' });
    const sourcePolicy = bySid(await keyPolicy(emu.clients('source').kms, sourceKey));
    expect(sourcePolicy['Enable IAM User Permissions']).toEqual(ROOT_STATEMENT('111111111111'));
    expect(Object.values(sourcePolicy).find((s) => s.Sid?.startsWith('ReplicateSetupSourceReaderDecrypt'))).toMatchObject({
      Principal: { AWS: [TOM] },
      Action: 'kms:Decrypt',
    });
    expect(Object.values(sourcePolicy).find((s) => s.Sid?.startsWith('ReplicateSetupReplicationDecrypt'))).toMatchObject({ Principal: { AWS: ROLE_ARN } });
  });

  it('finds its keys again by alias on a re-run: nothing left to change, no second key', async () => {
    const b = buckets();
    const raw = crossAccount(b.source, b.destination, { encryption: 'sse-kms', authorizedUser: ['tom-cruise'] });
    await apply(emu, raw);

    expect(await pendingOnRerun(emu, raw)).toEqual([]);
    const again = await apply(emu, raw);
    expect(sent(again.calls, 'CreateKey')).toEqual([]);
    expect(again.writes).toEqual([]);
    const keyStep = again.steps.find((s) => s.id === 'source-kms-key');
    expect(keyStep).toMatchObject({ status: 'unchanged', note: 'made by replicate-setup' });
  });
});

describe('a key that cannot be created', () => {
  it('stops only what waits for the keys: the rest is done, key-dependent steps are not run, and the same command finishes the job', async () => {
    const b = buckets();
    const raw = crossAccount(b.source, b.destination, { encryption: 'sse-kms' });
    const run = await prepare(emu, raw);
    // The company profile may not create keys (moto allows everything, so the refusal is injected).
    const denied = Object.assign(new Error('User is not authorized to perform: kms:CreateKey'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    (run.clients.destination.kms.middlewareStack as unknown as { add(m: unknown, o: object): void }).add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) =>
        context.commandName === 'CreateKeyCommand' ? Promise.reject(denied) : next(args),
      { step: 'initialize', name: 'deny-create-key' },
    );

    const error = await applySetup(run.prepared, run.clients, () => undefined).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ApplyFailedError);
    const status = Object.fromEntries((error as ApplyFailedError).steps.map((step) => [step.id, step.status]));
    expect(status).toMatchObject({
      'destination-kms-key': 'failed',
      'source-kms-key': 'done',
      'source-bucket': 'done',
      'replication-role': 'done',
      'destination-versioning': 'done',
      'source-encryption': 'not-run',
      'replication-role-policy': 'not-run',
      'replication-configuration': 'not-run',
    });
    expect((error as ApplyFailedError).message).toContain('kms:CreateKey');
    expect(JSON.stringify(run.calls.filter((c) => /^(Put|Create)/.test(c.command)))).not.toContain(KNOWN_AFTER_APPLY);

    const rerun = await apply(emu, raw);
    expect(sent(rerun.calls, 'CreateKey', 'source')).toEqual([]);
    expect(sent(rerun.calls, 'CreateKey', 'destination')).toHaveLength(1);
    expect(await pendingOnRerun(emu, raw)).toEqual([]);
  });
});
