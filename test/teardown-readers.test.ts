// Which readers a teardown (or a wizard that drops them) finds in the source bucket policy, pure: only the principals of
// this setup's own reader statements (found by its setup id), only users and roles of the destination account, and
// none the flags already give; and that both plans delete such a reader's policy before the statements naming it.
import { describe, expect, it } from 'vitest';
import { planChanges } from '../src/kinds/planner.js';
import { planTeardown } from '../src/kinds/teardown-planner.js';
import type { Change } from '../src/plan/changes.js';
import { readerIdentityPolicy, sourcePolicyStatements } from '../src/plan/documents.js';
import type { LiveState } from '../src/plan/live.js';
import { readersNamedByStatements } from '../src/plan/named-readers.js';
import type { PolicyDocument, PolicyStatement } from '../src/plan/policy-types.js';
import { pairSid, SEED_ACCOUNTS, seedContext, seedInput } from './support/fixtures.js';
import { freshLive } from './support/simulate.js';

const policy = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const TOM = 'arn:aws:iam::222222222222:user/tom-cruise';
const CLINT = 'arn:aws:iam::222222222222:user/clint-eastwood';
const ANALYSTS = 'arn:aws:iam::222222222222:role/team/analysts';
/** The seed's statements as the wizard wrote them for these readers. */
const written = (readers: string[]) => sourcePolicyStatements(seedContext(seedInput({ authorizedUsers: readers })));
const withoutFlags = seedContext(seedInput({ authorizedUsers: [] }));
const names = (document: PolicyDocument, ctx = withoutFlags) => readersNamedByStatements(ctx, document).map((ref) => ref.arn);

describe('readersNamedByStatements', () => {
  it('finds every user and role the setup’s reader statements name, once, with its kind and name', () => {
    const refs = readersNamedByStatements(withoutFlags, policy(...written(['tom-cruise', ANALYSTS])));
    expect(refs).toEqual([
      { arn: TOM, accountId: '222222222222', kind: 'user', name: 'tom-cruise' },
      { arn: ANALYSTS, accountId: '222222222222', kind: 'role', name: 'analysts' },
    ]);
  });

  it('leaves out the readers the flags give, by name whatever the ARN’s path', () => {
    const byPath = 'arn:aws:iam::222222222222:user/people/clint-eastwood';
    expect(names(policy(...written(['tom-cruise', byPath])), seedContext(seedInput({ authorizedUsers: ['clint-eastwood'] })))).toEqual([TOM]);
  });

  it('never takes a reader from another setup’s statements, a previous release’s Sid or a statement of the user’s own', () => {
    const admit = (Sid: string, AWS: string): PolicyStatement => ({ Sid, Effect: 'Allow', Principal: { AWS }, Action: 's3:GetObject', Resource: '*' });
    const document = policy(
      admit(pairSid('rubes-s3-bucket', 'other-bucket', 'AuthorizedRead'), CLINT),
      admit('ReplicateSetupAuthorizedReadToClintS3Bucket', CLINT),
      admit('TheirAudit', CLINT),
      // This setup's Sid of another purpose names no reader.
      admit(pairSid('rubes-s3-bucket', 'clint-s3-bucket', 'Replicas'), CLINT),
    );
    expect(names(document)).toEqual([]);
  });

  it('leaves out principals of another account and those AWS shows by unique id (deleted since)', () => {
    const document = policy(...written(['arn:aws:iam::333333333333:user/auditor', 'tom-cruise']));
    const [list, read] = document.Statement as [PolicyStatement, PolicyStatement];
    const deleted = { ...read, Principal: { AWS: ['AIDAEXAMPLEUNIQUEID12', 'arn:aws:iam::333333333333:user/auditor'] } };
    expect(names(policy(list, read))).toEqual([TOM]);
    expect(names(policy(deleted))).toEqual([]);
  });

  it('finds nothing without a source bucket policy', () => {
    expect(readersNamedByStatements(withoutFlags, undefined)).toEqual([]);
  });
});

describe('the removal of a reader only the statements name', () => {
  // clint-eastwood was a reader; the flags now give tom-cruise alone.
  const input = seedInput({ authorizedUsers: ['tom-cruise'] });
  const clint = { arn: CLINT, accountId: '222222222222', kind: 'user' as const, name: 'clint-eastwood', policy: readerIdentityPolicy(seedContext(input)) };
  const live: LiveState = { ...freshLive(input, SEED_ACCOUNTS), namedReaders: [clint] };
  const byId = (changes: Change[], id: string): Change | undefined => changes.find((change) => change.id === id);
  const FAITHFUL = { replicationEchoIsFaithful: true };
  const UNUSED_ROLE = { role: { inlinePolicies: [], attachedPolicies: [], namedByBuckets: [] }, versions: {} };

  it('wizard: deletes its policy, and rewrites the source statements only after', () => {
    const { changes } = planChanges(input, SEED_ACCOUNTS, live, FAITHFUL);
    expect(byId(changes, 'reader-policy:clint-eastwood')).toMatchObject({ action: 'delete', note: 'no longer an --authorized-user', resource: CLINT });
    expect(byId(changes, 'source-bucket-policy')?.dependsOn).toContain('reader-policy:clint-eastwood');
  });

  it('teardown: deletes its policy before the source statements that name it', () => {
    const withStatements: LiveState = { ...live, source: { ownership: 'ours', policy: policy(...written(['tom-cruise', 'clint-eastwood'])) } };
    const options = { deleteBuckets: false, deleteObjects: false, deleteKeys: false, now: new Date() };
    const { changes } = planTeardown(input, SEED_ACCOUNTS, withStatements, UNUSED_ROLE, options, FAITHFUL);
    expect(byId(changes, 'reader-policy:clint-eastwood')).toMatchObject({ action: 'delete', title: 'Identity policy of clint-eastwood for this pair' });
    expect(byId(changes, 'source-bucket-policy')?.dependsOn).toContain('reader-policy:clint-eastwood');
  });
});
