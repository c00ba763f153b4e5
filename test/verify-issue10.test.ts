// verify against moto (issue 10): a Deny the user wrote must fail the check it breaks, name the statement, and never
// send the user to the wizard (which would find nothing to change: an endless loop).
import { GetRoleCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { inputAndClients } from '../src/commands/common.js';
import { prepareSetup } from '../src/engine/setup.js';
import { parsePolicy } from '../src/plan/compare.js';
import type { PolicyDocument } from '../src/plan/policy-types.js';
import { check, seed, useProfiles, useVerifyEmulator } from './support/verify.js';

const { emu, setUp, verify } = useVerifyEmulator();

describe('verify and Deny statements the user wrote', () => {
  it('fails role.trust when the trust policy explicitly denies s3.amazonaws.com, naming the statement', async () => {
    const raw = { ...seed(), roleName: 'trust-deny-role' };
    await setUp(raw);
    const { iam } = emu.clients('source');
    const trust = parsePolicy((await iam.send(new GetRoleCommand({ RoleName: 'trust-deny-role' }))).Role?.AssumeRolePolicyDocument)!;
    const denied: PolicyDocument = {
      ...trust,
      Statement: [...trust.Statement, { Sid: 'NoS3', Effect: 'Deny', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    };
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'trust-deny-role', PolicyDocument: JSON.stringify(denied) }));

    const report = await verify(raw);

    const trustCheck = check(report, 'role.trust');
    expect(trustCheck.status).toBe('fail');
    expect(trustCheck.message).toMatch(/denies s3\.amazonaws\.com sts:AssumeRole \(statement NoS3\)/);
    expect(trustCheck.remedy).toMatch(/never removes a statement it did not write/);
    expect(report.writes).toEqual([]);
  });

  it("names the user's own Deny of an authorised reader and says the tool will not remove it (no wizard loop)", async () => {
    const raw = { ...seed(), roleName: 'reader-deny-role' };
    await setUp(raw);
    const { s3 } = emu.clients('source');
    const policy = parsePolicy((await s3.send(new GetBucketPolicyCommand({ Bucket: raw.sourceBucket }))).Policy)!;
    const withDeny: PolicyDocument = {
      ...policy,
      Statement: [
        ...policy.Statement,
        {
          Sid: 'NoTomReads',
          Effect: 'Deny',
          Principal: { AWS: 'arn:aws:iam::222222222222:user/tom-cruise' },
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${raw.sourceBucket}/*`,
        },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: raw.sourceBucket, Policy: JSON.stringify(withDeny) }));

    const report = await verify(raw);

    const reader = check(report, 'source.policy.reader:tom-cruise');
    expect(reader.status).toBe('fail');
    expect(reader.message).toMatch(/statement NoTomReads, which is not replicate-setup's, refuses it/);
    expect(reader.remedy).toMatch(/replicate-setup will not remove a statement it did not write/);
    expect(reader.remedy).not.toMatch(/replicate-setup wizard/);
    // The wizard indeed has nothing to change there: the user's statement is kept as it is.
    useProfiles(emu.env);
    const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
    const prepared = await prepareSetup(input, clients, () => undefined);
    expect(prepared.plan.changes.find((c) => c.id === 'source-bucket-policy')?.action).toBe('no-op');
  });
});
