// The pure planner's notes, and what a read-back may add that is not drift.
import { describe, expect, it } from 'vitest';
import { planChanges } from '../src/kinds/planner.js';
import { REPLICATION_TRUST_POLICY } from '../src/plan/documents.js';
import type { LiveState } from '../src/plan/live.js';
import { withoutReadBackDefaults } from '../src/plan/replication-steps.js';
import { trustsS3 } from '../src/plan/role-steps.js';
import { SAME_ACCOUNT, SEED_ACCOUNTS, seedInput } from './support/fixtures.js';
import { AWS, change } from './support/plan.js';
import { freshLive } from './support/simulate.js';

describe('planChanges notes', () => {
  it('keeps the role the source bucket already replicates with, gives it our policy, and says so', () => {
    const input = seedInput();
    const existingRole = 'arn:aws:iam::111111111111:role/service-role/s3crr_role_for_rubes';
    const live: LiveState = {
      ...freshLive(input, SEED_ACCOUNTS),
      source: { ownership: 'ours', region: 'ap-southeast-1', versioning: 'Enabled', replication: { Role: existingRole, Rules: [] } },
      role: { name: 's3crr_role_for_rubes', arn: existingRole, exists: true, trustPolicy: REPLICATION_TRUST_POLICY },
    };
    const plan = planChanges(input, SEED_ACCOUNTS, live, AWS);
    expect(change(plan, 'replication-role')).toMatchObject({ action: 'no-op', resource: existingRole, note: 'existing replication role kept' });
    expect(change(plan, 'replication-role-policy')).toMatchObject({ action: 'create', roleName: 's3crr_role_for_rubes' });
    expect(change(plan, 'destination-bucket-policy')).toMatchObject({
      document: { Statement: [{ Principal: { AWS: existingRole } }, { Principal: { AWS: existingRole } }] },
    });
    const replication = change(plan, 'replication-configuration');
    expect(replication.kind === 'replication' && replication.configuration.Role).toBe(existingRole);
    expect(plan.notes.join('\n')).toContain(`already replicates with role ${existingRole}`);
  });

  it('says when V1 rules are rewritten, when both buckets share a region or an account, and when a reader is elsewhere', () => {
    const input = seedInput({
      destination: { profile: 'xyz', region: 'ap-southeast-1', bucket: 'clint-s3-bucket' },
      authorizedUsers: ['arn:aws:iam::333333333333:user/auditor'],
    });
    const live: LiveState = {
      ...freshLive(input, SAME_ACCOUNT),
      source: {
        ownership: 'ours',
        region: 'ap-southeast-1',
        replication: {
          Role: 'arn:aws:iam::111111111111:role/s3_replication_role',
          Rules: [{ ID: 'legacy', Prefix: 'old/', Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::old' } } as never],
        },
      },
    };
    const notes = planChanges(input, SAME_ACCOUNT, live, AWS).notes.join('\n');
    expect(notes).toContain('V1 replication rules legacy');
    expect(notes).toContain('same account');
    expect(notes).toContain('same-region replication');
    expect(notes).toContain('arn:aws:iam::333333333333:user/auditor is in account 333333333333');
  });
});

describe('read-back defaults and narrowed trust', () => {
  it('does not count defaults AWS adds on read-back as drift in our rule', () => {
    const written = {
      Role: 'arn:aws:iam::111111111111:role/r',
      Rules: [{ ID: 'x', Status: 'Enabled' as const, Priority: 1, Filter: { Prefix: '' }, Destination: { Bucket: 'arn:aws:s3:::d' } }],
    };
    const readBack = {
      ...written,
      Rules: [
        {
          ...written.Rules[0]!,
          Filter: {},
          ExistingObjectReplication: { Status: 'Disabled' },
          SourceSelectionCriteria: { ReplicaModifications: { Status: 'Disabled' } },
        },
      ],
    };
    expect(withoutReadBackDefaults(readBack as never)).toEqual(written);
    const enabled = { ...readBack, Rules: [{ ...readBack.Rules[0]!, ExistingObjectReplication: { Status: 'Enabled' } }] };
    expect(withoutReadBackDefaults(enabled as never).Rules[0]).toHaveProperty('ExistingObjectReplication.Status', 'Enabled');
  });

  it('counts a trust narrowed by conditions, or listing several services, as trusting S3', () => {
    const narrowed = {
      Effect: 'Allow' as const,
      Principal: { Service: ['batchoperations.s3.amazonaws.com', 's3.amazonaws.com'] },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    };
    expect(trustsS3({ Version: '2012-10-17', Statement: [narrowed] })).toBe(true);
    expect(trustsS3({ Version: '2012-10-17', Statement: [{ ...narrowed, Principal: { Service: 'ec2.amazonaws.com' } }] })).toBe(false);
    expect(trustsS3({ Version: '2012-10-17', Statement: [{ ...narrowed, Effect: 'Deny' }] })).toBe(false);
  });
});
