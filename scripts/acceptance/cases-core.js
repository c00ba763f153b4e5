// The walkthrough's seed and three of its scenarios, each a real setup by the built CLI followed by evidence.

import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { setUp, setupFlags } from './accounts.js';
import { refusal, runCli } from './context.js';
import { awaitReplica, canRead, cliSucceeded, deleteMarkerArrives, isDenied, ownedByDestination, put, stillAbsent } from './evidence.js';

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** Source and destination handles of a setup, for the evidence helpers. */
const sides = (ctx, setup) => ({
  src: { s3: ctx.source.clients.s3, bucket: setup.names.src },
  dst: { s3: setup.destClients.s3, bucket: setup.names.dst },
});

export async function seedCase(ctx, record) {
  const { reader, other } = ctx;
  const setup = setupFlags(ctx, 'seed', { extra: ['--authorized-user', reader.name] });
  if (!cliSucceeded(record, 'wizard sets up the seed from flags', await setUp(ctx, record.name, setup))) return;
  const { src, dst } = sides(ctx, setup);
  const key = `seed/report-${stamp()}.txt`;
  await put(src.s3, src.bucket, key);
  const replica = await awaitReplica(record, dst, key);
  if (replica) await ownedByDestination(record, dst, key, ctx.destination.canonicalId);
  await canRead(record, `reader ${reader.name}`, reader.clients.s3, src.bucket, key);
  await isDenied(record, `other user ${other.name}`, other.clients.s3, src.bucket, key);
  await src.s3.send(new DeleteObjectCommand({ Bucket: src.bucket, Key: key }));
  await deleteMarkerArrives(record, dst, key);

  const probes = ['--probe-profile', `${reader.name}=${reader.profile}`, '--probe-profile', `${other.name}=${other.profile}`];
  const verify = await runCli(ctx, record.name, ['verify', ...setup.flags, '--expect-denied', other.name, ...probes, '--canary']);
  const checks = verify.json?.checks ?? [];
  const canary = checks.find((c) => c.id === 'canary');
  const failedChecks = checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`);
  record.check(
    'verify --canary --probe-profile exits 0',
    verify.code === 0,
    'exit 0, no check failed',
    `exit ${verify.code}; ${failedChecks.join('; ') || verify.json?.error?.message || 'no JSON'}`,
  );
  if (ctx.isAws) {
    record.check('verify: the canary replicated', canary?.status === 'pass', 'canary pass', `canary ${canary?.status}: ${canary?.message}`);
    const probesOk = checks.filter((c) => c.id.startsWith('probe')).every((c) => c.status === 'pass');
    record.check('verify: both probes as expected', probesOk, 'every probe check passes', JSON.stringify(checks.filter((c) => c.id.startsWith('probe'))));
  } else {
    record.unprovable('verify: the canary replicated and the probes saw allow/deny', `canary ${canary?.status ?? 'absent'}: ${canary?.message ?? ''}`);
  }
}

export async function kmsCase(ctx, record) {
  const { reader } = ctx;
  const setup = setupFlags(ctx, 'kms', { extra: ['--authorized-user', reader.name, '--encryption', 'sse-kms'] });
  ctx.kmsKeys += 2;
  if (!cliSucceeded(record, 'wizard sets up sse-kms from flags', await setUp(ctx, record.name, setup))) return;
  const { src, dst } = sides(ctx, setup);
  const [srcKey, dstKey] = await Promise.all([
    ctx.source.clients.kms.send(new DescribeKeyCommand({ KeyId: `alias/replicate-setup-${src.bucket}` })),
    setup.destClients.kms.send(new DescribeKeyCommand({ KeyId: `alias/replicate-setup-${dst.bucket}` })),
  ]);
  const key = `kms/report-${stamp()}.txt`;
  await put(src.s3, src.bucket, key);
  const original = await src.s3.send(new HeadObjectCommand({ Bucket: src.bucket, Key: key }));
  record.check(
    'the source object is encrypted with the source key',
    original.ServerSideEncryption === 'aws:kms' && original.SSEKMSKeyId === srcKey.KeyMetadata?.Arn,
    `aws:kms with ${srcKey.KeyMetadata?.Arn}`,
    `${original.ServerSideEncryption} with ${original.SSEKMSKeyId}`,
  );
  const replica = await awaitReplica(record, dst, key);
  if (replica) {
    const dstArn = dstKey.KeyMetadata?.Arn;
    record.check(
      'the replica is encrypted with the destination key',
      replica.ServerSideEncryption === 'aws:kms' && replica.SSEKMSKeyId === dstArn,
      `aws:kms with ${dstArn}`,
      `${replica.ServerSideEncryption} with ${replica.SSEKMSKeyId}`,
    );
    const readerInDest = ctx.clients({ credentials: reader.credentials }, ctx.destination.region);
    await canRead(record, `reader ${reader.name} (replica)`, readerInDest.s3, dst.bucket, key);
  }
  await canRead(record, `reader ${reader.name} (source, KMS-encrypted)`, reader.clients.s3, src.bucket, key);
}

export async function prefixCase(ctx, record) {
  const setup = setupFlags(ctx, 'prefix', { extra: ['--prefix', 'incidents/'] });
  if (!cliSucceeded(record, 'wizard sets up --prefix incidents/', await setUp(ctx, record.name, setup))) return;
  const { src, dst } = sides(ctx, setup);
  const inside = `incidents/report-${stamp()}.txt`;
  const outside = `drafts/report-${stamp()}.txt`;
  await put(src.s3, src.bucket, outside);
  await put(src.s3, src.bucket, inside);
  const replica = await awaitReplica(record, dst, inside);
  if (replica || !ctx.isAws) await stillAbsent(record, dst, outside, `after ${inside} arrived`);
}

export async function uploadersCase(ctx, record) {
  const setup = setupFlags(ctx, 'uploaders', { extra: ['--prefix', 'incidents/', '--uploader', ctx.uploader.name] });
  if (!cliSucceeded(record, 'wizard sets up --uploader', await setUp(ctx, record.name, setup))) return;
  const { src, dst } = sides(ctx, setup);
  const fenced = `incidents/${ctx.uploader.name}/`;
  const key = `${fenced}report-${stamp()}.txt`;
  const uploaderPut = await refusal(put(ctx.uploader.clients.s3, src.bucket, key));
  const allowedClaim = `uploader ${ctx.uploader.name} puts under ${fenced}`;
  // moto refuses both puts once the fence exists: it does not evaluate the Deny's aws:PrincipalArn condition as AWS does.
  if (ctx.isAws) record.check(allowedClaim, uploaderPut === undefined, 'the put succeeds', uploaderPut);
  else record.unprovable(allowedClaim, `the endpoint does not evaluate bucket policies as AWS does (put: ${uploaderPut ?? 'allowed'})`);
  if (uploaderPut === undefined) await awaitReplica(record, dst, key);
  const intruder = await refusal(put(src.s3, src.bucket, `${fenced}intruder-${stamp()}.txt`));
  const claim = `another principal (profile ${ctx.source.profile}) cannot put under ${fenced}`;
  if (ctx.isAws) record.check(claim, intruder === 'AccessDenied', 'AccessDenied', intruder ?? 'the put succeeded');
  else record.unprovable(claim, `the endpoint does not evaluate bucket policies as AWS does (put: ${intruder ?? 'allowed'})`);
}
