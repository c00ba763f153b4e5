// AWS hands documents back reshaped (scalars for one-element lists, other orders, IAM URL-encodes): the same meaning
// must compare equal, or every re-run would "update"; a different meaning must never compare equal.
import { describe, expect, it } from 'vitest';
import { parsePolicy, sameDocument } from '../src/plan/compare.js';
import { REPLICATION_TRUST_POLICY, readerIdentityPolicy, replicationRolePolicy } from '../src/plan/documents.js';
import { samePolicy } from '../src/plan/merge.js';
import type { PolicyDocument, PolicyStatement } from '../src/plan/policy-types.js';
import { seedContext } from './support/fixtures.js';

const base: PolicyStatement = {
  Sid: 'Read',
  Effect: 'Allow',
  Principal: { AWS: ['arn:aws:iam::222222222222:user/tom-cruise'] },
  Action: ['s3:GetObject', 's3:ListBucket'],
  Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
  Condition: { StringEquals: { 'aws:SourceAccount': ['111111111111'] } },
};
const doc = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });
const other: PolicyStatement = { Sid: 'Other', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' };

describe('sameDocument: the same meaning, spelled differently', () => {
  const SAME: [string, PolicyStatement][] = [
    ['one action as a scalar', { ...base, Action: 's3:GetObject' }],
    ['one resource as a scalar', { ...base, Resource: 'arn:aws:s3:::b' }],
    ['one principal as a scalar', { ...base, Principal: { AWS: 'arn:aws:iam::222222222222:user/tom-cruise' } }],
    ['a condition value as a scalar', { ...base, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }],
  ];
  it.each(SAME)('%s equals the one-element list', (_name, scalar) => {
    const listed = JSON.parse(JSON.stringify(scalar), (key, value: unknown) =>
      ['Action', 'Resource', 'AWS', 'aws:SourceAccount'].includes(key) && typeof value === 'string' ? [value] : value,
    ) as PolicyStatement;
    expect(sameDocument(doc(scalar), doc(listed))).toBe(true);
  });

  const REORDERED: [string, PolicyDocument, PolicyDocument][] = [
    ['actions in another order', doc(base), doc({ ...base, Action: ['s3:ListBucket', 's3:GetObject'] })],
    ['resources in another order', doc(base), doc({ ...base, Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::b'] })],
    ['statements in another order', doc(base, other), doc(other, base)],
    [
      'keys in another order',
      doc(base),
      JSON.parse(JSON.stringify({ Statement: [Object.fromEntries(Object.entries(base).reverse())], Version: '2012-10-17' })) as PolicyDocument,
    ],
    ['an absent key and an undefined one', doc(base), doc({ ...base, NotAction: undefined })],
    [
      'a service principal as a scalar',
      REPLICATION_TRUST_POLICY,
      doc({ Effect: 'Allow', Principal: { Service: ['s3.amazonaws.com'] }, Action: ['sts:AssumeRole'] }),
    ],
  ];
  it.each(REORDERED)('%s', (_name, a, b) => {
    expect(sameDocument(a, b)).toBe(true);
    expect(sameDocument(b, a)).toBe(true);
  });
});

describe('sameDocument: a different meaning is never equal', () => {
  const DIFFERENT: [string, PolicyStatement][] = [
    ['another action', { ...base, Action: ['s3:GetObject', 's3:PutObject'] }],
    ['an action more', { ...base, Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'] }],
    ['an action less', { ...base, Action: ['s3:GetObject'] }],
    ['a wildcard action', { ...base, Action: 's3:*' }],
    ['Deny for Allow', { ...base, Effect: 'Deny' }],
    ['objects only', { ...base, Resource: ['arn:aws:s3:::b/*'] }],
    ['everybody for one user', { ...base, Principal: '*' }],
    ['another account', { ...base, Principal: { AWS: ['arn:aws:iam::333333333333:user/tom-cruise'] } }],
    ['no condition', { ...base, Condition: undefined }],
    ['another condition value', { ...base, Condition: { StringEquals: { 'aws:SourceAccount': ['999999999999'] } } }],
    ['another Sid', { ...base, Sid: 'Renamed' }],
  ];
  it.each(DIFFERENT)('%s', (_name, changed) => {
    expect(sameDocument(doc(base), doc(changed))).toBe(false);
  });

  it('tells "*" from {"AWS": "*"} and a statement more from a statement less', () => {
    expect(sameDocument(doc({ ...base, Principal: '*' }), doc({ ...base, Principal: { AWS: '*' } }))).toBe(false);
    expect(sameDocument(doc(base), doc(base, other))).toBe(false);
  });

  it('compares replication configurations by value, priorities included', () => {
    const rule = { ID: 'r', Priority: 1, Status: 'Enabled', Filter: { Prefix: '' }, Destination: { Bucket: 'arn:aws:s3:::d' } };
    expect(sameDocument({ Role: 'x', Rules: [rule] }, { Role: 'x', Rules: [{ ...rule }] })).toBe(true);
    expect(sameDocument({ Role: 'x', Rules: [rule] }, { Role: 'x', Rules: [{ ...rule, Priority: 2 }] })).toBe(false);
    expect(sameDocument({ Role: 'x', Rules: [rule] }, { Role: 'y', Rules: [rule] })).toBe(false);
  });

  it('samePolicy treats "no policy" as equal only to "no policy"', () => {
    expect(samePolicy(undefined, undefined)).toBe(true);
    expect(samePolicy(undefined, doc(base))).toBe(false);
    expect(samePolicy(doc(base), undefined)).toBe(false);
  });
});

describe('parsePolicy', () => {
  const documents = [
    ['the trust policy', REPLICATION_TRUST_POLICY],
    ['the role policy', replicationRolePolicy(seedContext())],
    ['the reader policy', readerIdentityPolicy(seedContext())],
  ] as const;

  it.each(documents)('reads %s as S3 returns it (plain JSON) and as IAM returns it (URL-encoded)', (_name, document) => {
    const text = JSON.stringify(document);
    expect(parsePolicy(text)).toStrictEqual(document);
    expect(parsePolicy(encodeURIComponent(text))).toStrictEqual(document);
    expect(parsePolicy(`\n  ${JSON.stringify(document, null, 2)}\n`)).toStrictEqual(document);
    expect(samePolicy(parsePolicy(encodeURIComponent(text)), document)).toBe(true);
  });

  it('turns a single statement written as an object into a list', () => {
    const single = { Version: '2012-10-17', Statement: base };
    expect(parsePolicy(JSON.stringify(single))).toStrictEqual(doc(base));
  });

  it('reads "no policy" as undefined', () => {
    expect(parsePolicy(undefined)).toBeUndefined();
    expect(parsePolicy('')).toBeUndefined();
  });
});
