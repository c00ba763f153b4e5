// Ctrl-C (ApplyOptions.signal): steps under way finish, no new step starts, and the error says INTERRUPTED.
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ApplyFailedError } from '../src/engine/apply.js';
import { ignoreEvents } from '../src/engine/events.js';
import type { RetryPolicy } from '../src/engine/retry.js';
import { applySetup, prepareSetup } from '../src/engine/setup.js';
import { eventLog, failureOf, instantRetry, mockedAws, s3Error, validatedSeed } from './support/mock-clients.js';

describe('interrupt', () => {
  it('lets the steps under way finish and starts no new one', async () => {
    const aws = mockedAws();
    const controller = new AbortController();
    const log = eventLog();
    let abortedAtEvent = -1;
    let roleCreated = false;
    // Ctrl-C arrives while CreateRole is in flight; AWS answers it a moment later.
    aws.source.iam.on(CreateRoleCommand).callsFake(async () => {
      controller.abort();
      abortedAtEvent = log.events.length;
      await new Promise((resolve) => setTimeout(resolve, 10));
      roleCreated = true;
      return { Role: { RoleName: 's3_replication_role' } };
    });
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const error = await failureOf(applySetup(prepared, aws.clients, log.sink, { retry: instantRetry(3), signal: controller.signal }));

    expect(error).toBeInstanceOf(ApplyFailedError);
    const failed = error as ApplyFailedError;
    expect(failed.code).toBe('INTERRUPTED');
    expect(failed.exitCode).toBe(1);
    expect(failed.remedy).toMatch(/running the same command again finishes the job/i);
    expect(roleCreated).toBe(true);

    const status = Object.fromEntries(failed.steps.map((s) => [s.id, s.status]));
    const started = new Set(log.events.slice(0, abortedAtEvent).flatMap((e) => (e.type === 'step-start' ? [e.change.id] : [])));
    expect(started.has('replication-role')).toBe(true);
    // Under way at the abort: finished. After it: nothing started, so everything else is not-run.
    expect(log.events.slice(abortedAtEvent).filter((e) => e.type === 'step-start')).toEqual([]);
    for (const change of prepared.plan.changes) {
      expect({ id: change.id, status: status[change.id] }).toEqual({ id: change.id, status: started.has(change.id) ? 'done' : 'not-run' });
    }
    expect(status['replication-role-policy']).toBe('not-run');
    // Nothing was written for a step that did not start.
    expect(aws.writes()).toHaveLength(started.size);
  });

  it('stops waiting for IAM propagation at once: the waiting step fails as INTERRUPTED, its dependants do not run', async () => {
    const aws = mockedAws();
    const controller = new AbortController();
    aws.destination.s3.on(PutBucketPolicyCommand).rejects(s3Error('MalformedPolicy', 'Invalid principal in policy', 400));
    // The user presses Ctrl-C during the first wait.
    const retry: RetryPolicy = { ...instantRetry(10), sleep: async () => controller.abort() };
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const failed = (await failureOf(applySetup(prepared, aws.clients, ignoreEvents, { retry, signal: controller.signal }))) as ApplyFailedError;

    expect(failed.code).toBe('INTERRUPTED');
    expect(aws.destination.s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(1);
    const step = failed.steps.find((s) => s.id === 'destination-bucket-policy');
    expect(step?.status).toBe('failed');
    expect(step?.error?.message).toContain('Interrupted while waiting for AWS');
    expect(failed.steps.find((s) => s.id === 'replication-configuration')?.status).toBe('not-run');
  });

  it('an abort after the last step started changes nothing: the run succeeds', async () => {
    const aws = mockedAws();
    const controller = new AbortController();
    const log = eventLog();
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);
    const sink = (event: Parameters<typeof log.sink>[0]): void => {
      log.sink(event);
      if (event.type === 'step-start' && event.change.id === 'replication-configuration') controller.abort();
    };

    const steps = await applySetup(prepared, aws.clients, sink, { retry: instantRetry(3), signal: controller.signal });

    expect(steps.every((s) => s.status === 'done')).toBe(true);
  });
});
