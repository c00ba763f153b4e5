// A teardown that fails half-way (an AccessDenied injected by an SDK middleware on one real client, against moto) says
// what was removed and what is left, and running it again finishes the job; a third run has nothing to remove.
import { GetBucketReplicationCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApplyFailedError } from '../src/engine/apply.js';
import { ignoreEvents } from '../src/engine/events.js';
import { applyTeardown, prepareTeardown } from '../src/engine/teardown.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { failureOf, iamError, instantRetry } from './support/mock-clients.js';
import { apply, crossAccount, prepare } from './support/scenario.js';

const emu = useEmulator();
afterEach(() => vi.unstubAllEnvs());

const NO_DELETES = { deleteBuckets: false, deleteObjects: false, deleteKeys: false };

describe('a teardown stopped half-way is finished by running it again (emulator, fault injected by middleware)', () => {
  it('the role policy delete is denied: the rule and statements are gone, the role policy and role are left; a re-run removes them', async () => {
    const raw = crossAccount(uniqueBucketName('rubes-s3-bucket'), uniqueBucketName('clint-s3-bucket'), { authorizedUser: ['tom-cruise'] });
    await apply(emu, raw);
    const { prepared, clients } = await prepare(emu, raw);
    let denied = false;
    clients.source.iam.middlewareStack.add(
      (next, context) => async (args) => {
        if (!denied && context.commandName === 'DeleteRolePolicyCommand') {
          denied = true;
          throw iamError('AccessDenied', 'not authorized to perform: iam:DeleteRolePolicy', 403);
        }
        return next(args);
      },
      { step: 'initialize', name: 'denyOnce' },
    );
    const first = await prepareTeardown(prepared.input, clients, NO_DELETES, ignoreEvents);
    const failure = await failureOf(applyTeardown(first, clients, ignoreEvents, { retry: instantRetry(3) }));
    expect(failure).toBeInstanceOf(ApplyFailedError);
    const failed = failure as ApplyFailedError;
    expect(failed.remedy).toContain('iam:DeleteRolePolicy');
    expect(failed.remedy).toMatch(/running the same command again finishes the job/i);
    const status = Object.fromEntries(failed.steps.map((step) => [step.id, step.status]));
    expect(status).toMatchObject({ 'replication-configuration': 'done', 'replication-role-policy': 'failed', 'replication-role': 'not-run' });
    await expect(emu.clients('source').s3.send(new GetBucketReplicationCommand({ Bucket: raw.sourceBucket }))).rejects.toMatchObject({
      name: 'ReplicationConfigurationNotFoundError',
    });

    const second = await prepareTeardown(prepared.input, clients, NO_DELETES, ignoreEvents);
    expect(second.plan.changes.map((change) => `${change.id}: ${change.action}`).sort()).toEqual([
      'replication-role-policy: delete',
      'replication-role: delete',
    ]);
    const steps = await applyTeardown(second, clients, ignoreEvents, { retry: instantRetry(3) });
    expect(steps.every((step) => step.status === 'done')).toBe(true);
    const third = await prepareTeardown(prepared.input, clients, NO_DELETES, ignoreEvents);
    expect(third.plan.changes).toEqual([]);
  });
});
