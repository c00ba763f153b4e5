import { credentialSource, profileArgument } from '../input/credentials.js';
import type { BucketSide } from '../input/types.js';
import type { Change } from '../plan/changes.js';
import { FULL_PUBLIC_ACCESS_BLOCK } from '../plan/documents.js';
import type { LiveBucket } from '../plan/live.js';
import type { PreparedSetup } from '../plan/prepared.js';
import { type Check, fail, pass, RERUN_WIZARD, skip, warn } from './types.js';

type Side = 'source' | 'destination';

/** Both buckets: where they are and the settings replication and the tool rely on. Pure. */
export function bucketChecks(prepared: PreparedSetup): Check[] {
  return [
    ...sideChecks('source', prepared.input.source, prepared.live.source, prepared),
    ...sideChecks('destination', prepared.input.destination, prepared.live.destination, prepared),
  ];
}

function sideChecks(side: Side, wanted: BucketSide, live: LiveBucket, prepared: PreparedSetup): Check[] {
  const account = prepared.accounts[side];
  const where = `account ${account} (${credentialSource(wanted.profile)})`;
  const id = (what: string): string => `${side}.${what}`;
  const settings = ['versioning', 'public-access-block', 'encryption', ...(side === 'destination' ? ['object-ownership'] : [])];
  if (live.ownership !== 'ours') {
    return [
      fail(id('bucket'), `${wanted.bucket} does not exist in ${where}`, `${RERUN_WIZARD} to create it in ${wanted.region}.`),
      ...settings.map((what) => skip(id(what), `not checked: ${wanted.bucket} does not exist`)),
    ];
  }
  return [
    pass(id('bucket'), `${wanted.bucket} exists in ${live.region}, ${where}`),
    versioningCheck(id('versioning'), wanted, live),
    publicAccessCheck(id('public-access-block'), wanted, live),
    encryptionCheck(
      id('encryption'),
      wanted,
      live,
      prepared.plan.changes.find((c) => c.id === `${side}-encryption`),
    ),
    ...(side === 'destination' ? [ownershipCheck(id('object-ownership'), wanted, live)] : []),
  ];
}

const cli = (wanted: BucketSide, command: string): string => `aws s3api ${command} --bucket ${wanted.bucket}${profileArgument(wanted.profile)}`;

function versioningCheck(id: string, wanted: BucketSide, live: LiveBucket): Check {
  if (live.versioning === 'Enabled') return pass(id, `versioning is Enabled on ${wanted.bucket}`);
  return fail(
    id,
    `versioning is ${live.versioning ?? 'not enabled'} on ${wanted.bucket}: S3 replicates only from and to versioned buckets`,
    `${RERUN_WIZARD}, or: ${cli(wanted, 'put-bucket-versioning')} --versioning-configuration Status=Enabled`,
  );
}

function publicAccessCheck(id: string, wanted: BucketSide, live: LiveBucket): Check {
  const block = live.publicAccessBlock;
  const off = (Object.keys(FULL_PUBLIC_ACCESS_BLOCK) as (keyof typeof FULL_PUBLIC_ACCESS_BLOCK)[]).filter((key) => block?.[key] !== true);
  if (off.length === 0) return pass(id, `Block Public Access is fully on for ${wanted.bucket}`);
  return fail(
    id,
    block ? `Block Public Access on ${wanted.bucket} has ${off.join(', ')} off` : `${wanted.bucket} has no Block Public Access configuration`,
    `${RERUN_WIZARD}, or: ${cli(wanted, 'put-public-access-block')} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`,
  );
}

/** Says which encryption; the plan's encryption step says whether it is the one wanted (sse-kms: the bucket's key). */
function encryptionCheck(id: string, wanted: BucketSide, live: LiveBucket, pending: Change | undefined): Check {
  const encryption = live.encryption;
  if (!encryption) {
    return fail(id, `${wanted.bucket} has no default encryption`, `${RERUN_WIZARD} to turn on default encryption.`);
  }
  const kms = encryption.algorithm.startsWith('aws:kms');
  const which = kms
    ? `SSE-KMS${encryption.algorithm === 'aws:kms:dsse' ? ' (dual-layer)' : ''} with ${encryption.kmsKeyId ?? 'the AWS managed key aws/s3'}${encryption.bucketKey ? ', S3 Bucket Key on' : ''}`
    : `SSE-S3 (${encryption.algorithm})`;
  if (pending && pending.action !== 'no-op' && pending.kind === 'encryption') {
    const goal = pending.after.kmsKeyId
      ? `SSE-KMS with ${pending.after.kmsKeyId}${pending.after.bucketKey ? ', S3 Bucket Key on' : ''}`
      : pending.after.algorithm;
    return fail(id, `default encryption on ${wanted.bucket} is ${which}, not ${goal}`, `${RERUN_WIZARD} to set it.`);
  }
  return pass(id, `default encryption on ${wanted.bucket} is ${which}`);
}

function ownershipCheck(id: string, wanted: BucketSide, live: LiveBucket): Check {
  if (live.objectOwnership === 'BucketOwnerEnforced') {
    return pass(id, `Object Ownership on ${wanted.bucket} is BucketOwnerEnforced: the destination account owns every replica, ACLs are off`);
  }
  return warn(
    id,
    `Object Ownership on ${wanted.bucket} is ${live.objectOwnership ?? 'not set'}: replicas are the destination's only through the rule's owner override, and ACLs still apply`,
    `${RERUN_WIZARD}, or: ${cli(wanted, 'put-bucket-ownership-controls')} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'`,
  );
}
