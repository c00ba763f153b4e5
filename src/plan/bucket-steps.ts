import type { ChangeOf, Side } from './changes.js';
import { sameDocument } from './compare.js';
import { action, capital, type PlanContext } from './context.js';
import { keyDependencies, sameEncryption, wantedEncryption } from './diff-kms.js';
import { FULL_PUBLIC_ACCESS_BLOCK } from './documents.js';
import { bucketArn } from './names.js';

/** Pure planners of each bucket's own settings, one per kind of change, each for both buckets. */

const SIDES: Side[] = ['source', 'destination'];
const exists = (pc: PlanContext, side: Side): boolean => pc.live[side].ownership === 'ours';

export const bucketSteps = (pc: PlanContext): ChangeOf<'bucket'>[] =>
  SIDES.map((side) => {
    const { bucket, region } = pc.documents.input[side];
    return {
      id: `${side}-bucket`,
      title: `${capital(side)} bucket ${bucket} in ${region}`,
      side,
      action: action(exists(pc, side), true),
      resource: bucketArn(bucket),
      dependsOn: [],
      kind: 'bucket',
      bucket,
      region,
    };
  });

export const publicAccessBlockSteps = (pc: PlanContext): ChangeOf<'public-access-block'>[] =>
  SIDES.map((side) => {
    const { bucket } = pc.documents.input[side];
    const live = pc.live[side];
    return {
      id: `${side}-public-access-block`,
      title: `Block Public Access on ${bucket}`,
      side,
      action: action(exists(pc, side) && !!live.publicAccessBlock, sameDocument(live.publicAccessBlock, FULL_PUBLIC_ACCESS_BLOCK)),
      resource: bucketArn(bucket),
      dependsOn: [`${side}-bucket`],
      kind: 'public-access-block',
      bucket,
      after: FULL_PUBLIC_ACCESS_BLOCK,
    };
  });

/**
 * With sse-kms the bucket's default becomes its key with Bucket Key on (an SSE-S3 default is updated). Otherwise any
 * default encryption already there is kept: SSE-KMS chosen by the user is stronger than the SSE-S3 we'd set.
 */
export const encryptionSteps = (pc: PlanContext): ChangeOf<'encryption'>[] =>
  SIDES.map((side): ChangeOf<'encryption'> => {
    const ctx = pc.documents;
    const live = pc.live[side];
    const { bucket } = ctx.input[side];
    const base = { id: `${side}-encryption` as const, side, resource: bucketArn(bucket), kind: 'encryption' as const, bucket };
    const wanted = wantedEncryption(ctx, side);
    if (wanted) {
      const keyName = live.encryption === undefined && ctx.kmsKeys?.[side] && 'pending' in ctx.kmsKeys[side] ? 'its new key' : 'its key';
      return {
        ...base,
        title: `Default encryption SSE-KMS with ${keyName}, Bucket Key on, on ${bucket}`,
        action: !live.encryption ? 'create' : sameEncryption(live.encryption, wanted) ? 'no-op' : 'update',
        dependsOn: [`${side}-bucket`, ...keyDependencies(ctx, [side])],
        after: wanted,
        ...(live.encryption && !sameEncryption(live.encryption, wanted) ? { note: `was ${live.encryption.algorithm}` } : {}),
      };
    }
    if (!live.encryption) {
      return { ...base, title: `Default encryption (SSE-S3) on ${bucket}`, action: 'create', dependsOn: [`${side}-bucket`], after: { algorithm: 'AES256' } };
    }
    return {
      ...base,
      title: `Default encryption on ${bucket}`,
      action: 'no-op',
      dependsOn: [`${side}-bucket`],
      after: live.encryption,
      note: `already ${live.encryption.algorithm}`,
    };
  });

/** Only the destination: its owner must own every replica (the walkthrough's BucketOwnerEnforced). */
export const ownershipSteps = (pc: PlanContext): ChangeOf<'ownership'>[] => {
  const side = 'destination';
  const { bucket } = pc.documents.input[side];
  const live = pc.live[side];
  return [
    {
      id: `${side}-ownership`,
      title: `Object Ownership BucketOwnerEnforced on ${bucket}`,
      side,
      action: action(exists(pc, side) && !!live.objectOwnership, live.objectOwnership === 'BucketOwnerEnforced'),
      resource: bucketArn(bucket),
      dependsOn: [`${side}-bucket`],
      kind: 'ownership',
      bucket,
      after: 'BucketOwnerEnforced',
    },
  ];
};

export const versioningSteps = (pc: PlanContext): ChangeOf<'versioning'>[] =>
  SIDES.map((side) => {
    const { bucket } = pc.documents.input[side];
    const live = pc.live[side];
    return {
      id: `${side}-versioning`,
      title: `Versioning on ${bucket}`,
      side,
      action: action(exists(pc, side) && !!live.versioning, live.versioning === 'Enabled'),
      resource: bucketArn(bucket),
      dependsOn: [`${side}-bucket`],
      kind: 'versioning',
      bucket,
      after: 'Enabled',
    };
  });
