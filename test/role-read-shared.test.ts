// A fleet's setups share one replication role: a GetRole asked while the same one is under way joins it; an answer is
// never kept past its arrival, and a write to the role means a later read asks again (aws-sdk-client-mock: the point
// is which calls go out, and moto answers too fast to hold two reads in flight on purpose).
import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createRole, readRole } from '../src/aws/iam-role.js';

const ARN = 'arn:aws:iam::111111111111:role/s3_replication_role';
const TRUST = {
  Version: '2012-10-17' as const,
  Statement: [{ Effect: 'Allow' as const, Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** An IAM client whose GetRole answers only when `answer()` is called: reads stay in flight until then. */
function heldIam(roleExists: () => boolean) {
  const iam = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const mock = mockClient(iam);
  const waiting: (() => void)[] = [];
  mock.on(GetRoleCommand).callsFake(async () => {
    const exists = roleExists(); // the state when the call reached IAM
    await new Promise<void>((resolve) => waiting.push(resolve));
    if (!exists) throw Object.assign(new Error('no role'), { name: 'NoSuchEntityException' });
    return {
      Role: {
        Arn: ARN,
        RoleName: 's3_replication_role',
        Path: '/',
        RoleId: 'r',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(TRUST)),
      },
    };
  });
  mock.on(GetRolePolicyCommand).rejects(Object.assign(new Error('no policy'), { name: 'NoSuchEntityException' }));
  mock.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
  const answer = async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const resolve of waiting.splice(0)) resolve();
  };
  return { iam, mock, answer };
}

describe('the shared replication role is read once by setups reading at the same time (IAM mocked)', () => {
  it('reads under way together make one GetRole; a read after the answer asks again', async () => {
    const { iam, mock, answer } = heldIam(() => true);
    const reads = Promise.all(['policy-a', 'policy-b', 'policy-c'].map((name) => readRole(iam, ARN, name)));
    await answer();
    const roles = await reads;
    expect(roles.map((role) => role.exists)).toEqual([true, true, true]);
    expect(mock.commandCalls(GetRoleCommand)).toHaveLength(1);
    // Each setup's own inline policy is still read on its own.
    expect(mock.commandCalls(GetRolePolicyCommand).map((call) => call.args[0].input.PolicyName)).toEqual(['policy-a', 'policy-b', 'policy-c']);

    const later = readRole(iam, ARN, 'policy-a');
    await answer();
    expect((await later).exists).toBe(true);
    expect(mock.commandCalls(GetRoleCommand)).toHaveLength(2);
  });

  it('a read started after a write to the role never joins a read started before it', async () => {
    let created = false;
    const { iam, mock, answer } = heldIam(() => created);
    mock.on(CreateRoleCommand).callsFake(async () => {
      created = true;
      return { Role: { Arn: ARN } };
    });
    const before = readRole(iam, ARN, 'policy-a'); // reaches IAM before the role exists
    await createRole(iam, 's3_replication_role', TRUST);
    const after = readRole(iam, ARN, 'policy-b');
    await answer();
    await answer();
    expect((await before).exists).toBe(false);
    expect((await after).exists).toBe(true);
    expect(mock.commandCalls(GetRoleCommand)).toHaveLength(2);
  });
});
