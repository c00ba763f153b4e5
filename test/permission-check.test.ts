// The wizard's permission check before the first write, against IAM's policy simulator: MOCKED IAM and STS clients
// (aws-sdk-client-mock), because moto does not implement iam:SimulatePrincipalPolicy. Simulation results → missing
// actions (all of them, both profiles, one error, nothing written); SCP / boundary denials → a warning; no simulator → a note.
import { SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { checkPermissions, simulatablePrincipal } from '../src/engine/permission-check.js';
import { prepareSetup } from '../src/engine/setup.js';
import { ReplicateSetupError } from '../src/errors.js';
import { failureOf, iamError, mockedAws, validatedSeed } from './support/mock-clients.js';

type Decision = 'allowed' | 'implicitDeny' | 'explicitDeny';

/** A simulator that answers each action asked with `decide(action, resource)`, as AWS answers one result per action. */
const simulator =
  (decide: (action: string, resource: string) => { decision: Decision; scp?: boolean; boundary?: boolean }) =>
  (input: SimulatePrincipalPolicyCommandInput) => ({
    EvaluationResults: (input.ActionNames ?? []).map((action) => {
      const resource = input.ResourceArns?.[0] ?? '*';
      const { decision, scp, boundary } = decide(action, resource);
      return {
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: decision,
        ...(scp === undefined ? {} : { OrganizationsDecisionDetail: { AllowedByOrganizations: !scp } }),
        ...(boundary === undefined ? {} : { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: !boundary } }),
      };
    }),
  });

async function seedPrepared() {
  const aws = mockedAws();
  const prepared = await prepareSetup(validatedSeed(), aws.clients, () => undefined);
  return { aws, prepared };
}

describe('permission check before the first write (mocked IAM simulator)', () => {
  it('asks about the caller itself, an assumed-role session as its role, over every resource of the plan; all allowed → no note', async () => {
    const { aws, prepared } = await seedPrepared();
    aws.source.sts.on(GetCallerIdentityCommand).resolves({ Account: '111111111111', Arn: 'arn:aws:sts::111111111111:assumed-role/Operator/alice' });
    for (const side of [aws.source, aws.destination]) side.iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator(() => ({ decision: 'allowed' })));
    const checks = await checkPermissions(prepared, aws.clients);
    expect(checks.map((c) => [c.side, c.missing.length, c.notes])).toEqual([
      ['source', 0, []],
      ['destination', 0, []],
    ]);
    const asked = aws.source.iam.commandCalls(SimulatePrincipalPolicyCommand).map((call) => call.args[0].input);
    expect(new Set(asked.map((input) => input.PolicySourceArn))).toEqual(new Set(['arn:aws:iam::111111111111:role/Operator']));
    const actions = asked.flatMap((input) => (input.ActionNames ?? []).map((action) => `${action} ${input.ResourceArns?.[0] ?? '*'}`));
    expect(actions).toEqual(
      expect.arrayContaining([
        's3:CreateBucket arn:aws:s3:::rubes-s3-bucket',
        's3:PutReplicationConfiguration arn:aws:s3:::rubes-s3-bucket',
        'iam:CreateRole arn:aws:iam::111111111111:role/s3_replication_role',
        's3:ListAllMyBuckets *',
      ]),
    );
    // iam:PassRole is asked with the context key its condition needs.
    const passRole = asked.find((input) => input.ActionNames?.includes('iam:PassRole'));
    expect(passRole?.ContextEntries).toEqual([{ ContextKeyName: 'iam:PassedToService', ContextKeyValues: ['s3.amazonaws.com'], ContextKeyType: 'string' }]);
  });

  it('lists every missing action of both profiles in one error naming each profile, exit 1', async () => {
    const { aws, prepared } = await seedPrepared();
    aws.source.iam
      .on(SimulatePrincipalPolicyCommand)
      .callsFake(simulator((action) => ({ decision: action === 'iam:PassRole' || action === 's3:PutBucketVersioning' ? 'implicitDeny' : 'allowed' })));
    aws.destination.iam
      .on(SimulatePrincipalPolicyCommand)
      .callsFake(simulator((action) => ({ decision: action === 'iam:PutUserPolicy' ? 'explicitDeny' : 'allowed' })));
    const error = await failureOf(checkPermissions(prepared, aws.clients));
    expect(error).toBeInstanceOf(ReplicateSetupError);
    const e = error as ReplicateSetupError;
    expect(e.exitCode).toBe(1);
    expect(e.code).toBe('ACCESS_DENIED');
    expect(e.message).toContain('Profile "xyz" (arn:aws:iam::111111111111:user/admin) lacks');
    expect(e.message).toContain('iam:PassRole on arn:aws:iam::111111111111:role/s3_replication_role');
    expect(e.message).toContain('s3:PutBucketVersioning on arn:aws:s3:::rubes-s3-bucket');
    expect(e.message).toContain('Profile "abcd" (arn:aws:iam::222222222222:user/admin) lacks iam:PutUserPolicy on arn:aws:iam::222222222222:user/tom-cruise');
    expect(e.remedy).toContain('replicate-setup permissions');
    expect(e.remedy).toContain('--skip-permission-check');
    expect(aws.writes()).toEqual([]);
  });

  it('warns and goes on when only an organisation SCP or a permissions boundary refuses', async () => {
    const { aws, prepared } = await seedPrepared();
    aws.source.iam
      .on(SimulatePrincipalPolicyCommand)
      .callsFake(simulator((action) => (action === 's3:CreateBucket' ? { decision: 'implicitDeny', scp: true } : { decision: 'allowed' })));
    aws.destination.iam
      .on(SimulatePrincipalPolicyCommand)
      .callsFake(simulator((action) => (action === 'iam:PutUserPolicy' ? { decision: 'implicitDeny', boundary: true, scp: false } : { decision: 'allowed' })));
    const checks = await checkPermissions(prepared, aws.clients);
    expect(checks.flatMap((c) => c.missing)).toEqual([]);
    expect(checks[0]!.notes).toEqual([
      expect.stringMatching(/^profile "xyz": s3:CreateBucket on arn:aws:s3:::rubes-s3-bucket may be refused by an organisation SCP/),
    ]);
    expect(checks[1]!.notes).toEqual([expect.stringMatching(/^profile "abcd": iam:PutUserPolicy .* may be refused by a permissions boundary/)]);
  });

  it('skips with a note where the endpoint has no simulator (NotImplemented) or the caller may not ask it', async () => {
    const { aws, prepared } = await seedPrepared();
    aws.source.iam.on(SimulatePrincipalPolicyCommand).rejects(iamError('NotImplemented', 'not implemented', 501));
    aws.destination.iam.on(SimulatePrincipalPolicyCommand).rejects(iamError('AccessDenied', 'not authorized to perform iam:SimulatePrincipalPolicy', 403));
    const checks = await checkPermissions(prepared, aws.clients);
    expect(checks.flatMap((c) => c.missing)).toEqual([]);
    expect(checks[0]!.notes).toEqual([expect.stringContaining('does not implement iam:SimulatePrincipalPolicy')]);
    expect(checks[1]!.notes).toEqual([expect.stringMatching(/^permission check skipped for profile "abcd"/)]);
  });

  it('skips without asking on an emulator endpoint (clients.isAws false)', async () => {
    const { aws, prepared } = await seedPrepared();
    const checks = await checkPermissions(prepared, { ...aws.clients, isAws: false });
    expect(checks.flatMap((c) => c.notes)).toEqual([expect.stringContaining('does not implement iam:SimulatePrincipalPolicy')]);
    expect(aws.source.iam.commandCalls(SimulatePrincipalPolicyCommand)).toEqual([]);
  });

  it('evaluates users and roles as themselves, an assumed role as its role, and nothing else', () => {
    expect(simulatablePrincipal('arn:aws:iam::111111111111:user/ops/alice')).toBe('arn:aws:iam::111111111111:user/ops/alice');
    expect(simulatablePrincipal('arn:aws:sts::111111111111:assumed-role/Admin/bob@example.com')).toBe('arn:aws:iam::111111111111:role/Admin');
    expect(simulatablePrincipal('arn:aws:iam::111111111111:root')).toBeUndefined();
    expect(simulatablePrincipal('arn:aws:sts::111111111111:federated-user/carol')).toBeUndefined();
  });
});
