// Which readers a teardown (or a wizard that drops them) finds in the source bucket policy, pure: only the principals of
// this setup's own reader statements (found by its setup id), only users and roles of the destination account, and
// none the flags already give.
import { describe, expect, it } from 'vitest';
import { sourcePolicyStatements } from '../src/plan/documents.js';
import { readersNamedByStatements } from '../src/plan/named-readers.js';
import type { PolicyDocument, PolicyStatement } from '../src/plan/policy-types.js';
import { pairSid, seedContext, seedInput } from './support/fixtures.js';

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
