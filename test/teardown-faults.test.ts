// A teardown that fails half-way (an AccessDenied injected by an SDK middleware on one real client, against moto) says
// what was removed and what is left, and running it again finishes the job; a third run has nothing to remove.
import type { IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, type KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { GetBucketReplicationCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AwsClients } from '../src/aws/clients.js';
import { ApplyFailedError } from '../src/engine/apply.js';
import { ignoreEvents } from '../src/engine/events.js';
import { applyTeardown, prepareTeardown } from '../src/engine/teardown.js';
import type { SetupInput } from '../src/input/types.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { failureOf, iamError, instantRetry } from './support/mock-clients.js';
import { apply, crossAccount, prepare } from './support/scenario.js';

const emu = useEmulator();
afterEach(() => vi.unstubAllEnvs());

const NO_DELETES = { deleteBuckets: false, deleteObjects: false, deleteKeys: false };

/** The first call of `operation` this client sends is denied, as IAM (or KMS) denies it; the calls after it go through. */
function denyOnce(client: IAMClient | KMSClient, operation: string, errorName = 'AccessDenied'): void {
  let denied = false;
  (client as IAMClient).middlewareStack.add(
    (next, context) => async (args) => {
      if (!denied && context.commandName === `${operation}Command`) {
        denied = true;
        throw iamError(errorName, `not authorized to perform: ${errorName === 'AccessDenied' ? 'iam' : 'kms'}:${operation}`, 403);
      }
      return next(args);
    },
    { step: 'initialize', name: 'denyOnce' },
  );
}

/** A teardown whose apply fails (a call denied once): the error, and each step's status by id. */
async function failedTeardown(
  input: SetupInput,
  clients: AwsClients,
  options = NO_DELETES,
): Promise<{ failed: ApplyFailedError; status: Record<string, string> }> {
  const first = await prepareTeardown(input, clients, options, ignoreEvents);
  const failed = (await failureOf(applyTeardown(first, clients, ignoreEvents, { retry: instantRetry(3) }))) as ApplyFailedError;
  expect(failed).toBeInstanceOf(ApplyFailedError);
  return { failed, status: Object.fromEntries(failed.steps.map((step) => [step.id, step.status])) };
}

/** The same teardown run again removes exactly `left` (as `id: action`), and a third run has nothing to remove. */
async function finishedByRerun(input: SetupInput, clients: AwsClients, left: string[], options = NO_DELETES): Promise<void> {
  const second = await prepareTeardown(input, clients, options, ignoreEvents);
  expect(second.plan.changes.map((change) => `${change.id}: ${change.action}`).sort()).toEqual(left);
  const steps = await applyTeardown(second, clients, ignoreEvents, { retry: instantRetry(3) });
  expect(steps.every((step) => step.status === 'done')).toBe(true);
  expect((await prepareTeardown(input, clients, options, ignoreEvents)).plan.changes).toEqual([]);
}

describe('a teardown stopped half-way is finished by running it again (emulator, fault injected by middleware)', () => {
  it('the role policy delete is denied: the rule and statements are gone, the role policy and role are left; a re-run removes them', async () => {
    const raw = crossAccount(uniqueBucketName('rubes-s3-bucket'), uniqueBucketName('clint-s3-bucket'), { authorizedUser: ['tom-cruise'] });
    await apply(emu, raw);
    const { prepared, clients } = await prepare(emu, raw);
    denyOnce(clients.source.iam, 'DeleteRolePolicy');
    const { failed, status } = await failedTeardown(prepared.input, clients);
    expect(failed.remedy).toContain('iam:DeleteRolePolicy');
    expect(failed.remedy).toMatch(/running the same command again finishes the job/i);
    expect(status).toMatchObject({ 'replication-configuration': 'done', 'replication-role-policy': 'failed', 'replication-role': 'not-run' });
    await expect(emu.clients('source').s3.send(new GetBucketReplicationCommand({ Bucket: raw.sourceBucket }))).rejects.toMatchObject({
      name: 'ReplicationConfigurationNotFoundError',
    });
    await finishedByRerun(prepared.input, clients, ['replication-role-policy: delete', 'replication-role: delete']);
  });

  it('--delete-keys, the alias delete denied: the key is already scheduled while its alias still names it (as a policy conditioned on the alias needs); a re-run finds it pending by its alias and deletes the alias alone', async () => {
    const raw = crossAccount(uniqueBucketName('kms-src'), uniqueBucketName('kms-dst'), { encryption: 'sse-kms' });
    await apply(emu, raw);
    const { prepared, clients } = await prepare(emu, raw);
    const withKeys = { ...NO_DELETES, deleteKeys: true };
    denyOnce(clients.source.kms, 'DeleteAlias', 'AccessDeniedException');
    const { status } = await failedTeardown(prepared.input, clients, withKeys);
    const keyStep = Object.keys(status).find((id) => id.startsWith('source') && id.endsWith('kms-key'))!;
    expect(status[keyStep]).toBe('failed');
    const kms = emu.clients('source').kms;
    const alias = (await kms.send(new ListAliasesCommand({}))).Aliases?.find((a) => a.AliasName?.startsWith('alias/replicate-setup'));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: alias!.TargetKeyId! }))).KeyMetadata?.KeyState).toBe('PendingDeletion');
    await finishedByRerun(prepared.input, clients, [`${keyStep}: delete`], withKeys);
    const left = (await kms.send(new ListAliasesCommand({}))).Aliases?.filter((a) => a.AliasName === alias!.AliasName);
    expect(left).toEqual([]);
  });

  it('a reader policy delete is denied: the source statements naming the reader stay, so a re-run without --authorized-user still removes it', async () => {
    const pair = crossAccount(uniqueBucketName('two-src'), uniqueBucketName('two-dst-a'));
    await apply(emu, { ...pair, authorizedUser: ['tom-cruise'] });
    // The teardown is given no reader: it finds tom-cruise in the setup's statements in the source bucket policy.
    const { prepared, clients } = await prepare(emu, pair);
    denyOnce(clients.destination.iam, 'DeleteUserPolicy');
    const { status } = await failedTeardown(prepared.input, clients);
    expect(status).toMatchObject({ 'replication-configuration': 'done', 'reader-policy:tom-cruise': 'failed', 'source-bucket-policy': 'not-run' });
    await finishedByRerun(prepared.input, clients, ['reader-policy:tom-cruise: delete', 'source-bucket-policy: delete']);
  });
});
