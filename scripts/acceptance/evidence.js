// What a case found: each claim passed, failed (with what was expected and what AWS showed) or could not be proven on
// this endpoint; and the S3 probes most cases share.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { pollUntil, refusal } from './context.js';

export const STATUS = { passed: 'passed', failed: 'failed', unprovable: 'not provable on this endpoint', unavailable: 'not available in this build' };

/** RTC's promise: a replica within 15 minutes. */
export const REPLICATION_LIMIT_MS = 15 * 60_000;

export class CaseRecord {
  constructor(name, ctx) {
    this.name = name;
    this.ctx = ctx;
    this.claims = [];
    this.latencies = [];
    this.notes = [];
  }
  check(claim, ok, expected, shown) {
    this.claims.push({ claim, status: ok ? STATUS.passed : STATUS.failed, ...(ok ? {} : { expected, shown }) });
    this.ctx.log(`[${this.name}] ${ok ? '✓' : '✗'} ${claim}${ok ? '' : `: expected ${expected}; AWS showed ${shown}`}`);
    return ok;
  }
  unprovable(claim, why) {
    this.claims.push({ claim, status: STATUS.unprovable, shown: why });
    this.ctx.log(`[${this.name}] – ${claim}: not provable on this endpoint (${why})`);
  }
  unavailable(why) {
    this.claims.push({ claim: 'the build supports this case', status: STATUS.unavailable, shown: why });
    this.ctx.log(`[${this.name}] – not available in this build (${why})`);
  }
  note(text) {
    this.notes.push(text);
  }
  latency(what, seconds) {
    this.latencies.push({ what, seconds: Math.round(seconds * 10) / 10 });
    this.ctx.log(`[${this.name}] ${what}: ${seconds.toFixed(1)} s`);
  }
  /** failed if any claim failed; passed only when every claim passed; otherwise the first other status. */
  get status() {
    if (this.claims.some((c) => c.status === STATUS.failed)) return STATUS.failed;
    if (this.claims.length > 0 && this.claims.every((c) => c.status === STATUS.passed)) return STATUS.passed;
    return this.claims.find((c) => c.status !== STATUS.passed)?.status ?? STATUS.failed;
  }
  toJSON() {
    return { name: this.name, status: this.status, latencies: this.latencies, claims: this.claims, notes: this.notes };
  }
}

/** The CLI run succeeded: exit 0 and JSON with ok true. */
export function cliSucceeded(record, what, result) {
  const error = result.json?.error;
  const shown = `exit ${result.code}${error ? `, ${error.code}: ${error.message}` : ''}${result.json ? '' : `, output: ${(result.stderr || result.stdout).slice(-300)}`}`;
  return record.check(what, result.code === 0 && result.json?.ok === true, 'exit 0 and {"ok": true}', shown);
}

export const put = (s3, Bucket, Key, Body = `replicate-setup acceptance ${Key}\n`) =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: 'text/plain' }));

const head = (s3, Bucket, Key) =>
  s3.send(new HeadObjectCommand({ Bucket, Key })).then(
    (found) => found,
    () => undefined,
  );

/**
 * Polls the destination until `key` arrives (AWS), records the latency; on another endpoint records that replication
 * is not provable (moto does not replicate). Returns the replica's HeadObject, or undefined.
 */
export async function awaitReplica(record, dest, key, limitMs = REPLICATION_LIMIT_MS) {
  if (!record.ctx.isAws) {
    record.unprovable(`s3://${dest.bucket}/${key} replicates`, 'the endpoint does not replicate (moto keeps objects where they were put)');
    return undefined;
  }
  const { value, seconds } = await pollUntil(record.ctx, () => head(dest.s3, dest.bucket, key), { limitMs });
  record.check(`s3://${dest.bucket}/${key} replicated`, !!value, `the replica within ${limitMs / 60_000} min`, `no replica after ${seconds.toFixed(0)} s`);
  if (value) record.latency(`replication latency of ${key}`, seconds);
  return value;
}

/** On AWS the key must still be absent from the destination (it is outside what replicates). */
export async function stillAbsent(record, dest, key, after) {
  if (!record.ctx.isAws) return record.unprovable(`s3://${dest.bucket}/${key} does not replicate`, 'the endpoint does not replicate anything');
  const found = await head(dest.s3, dest.bucket, key);
  record.check(`${key} (outside what replicates) is absent ${after}`, !found, 'no such key in the destination', `found, version ${found?.VersionId}`);
}

/** The replicas are owned by the destination account (owner override): ListObjectsV2 with FetchOwner. */
export async function ownedByDestination(record, dest, key, canonicalId) {
  const listed = await dest.s3.send(new ListObjectsV2Command({ Bucket: dest.bucket, Prefix: key, FetchOwner: true }));
  const owner = listed.Contents?.find((o) => o.Key === key)?.Owner?.ID;
  record.check(`the replica is owned by the destination account`, !!owner && owner === canonicalId, `owner ${canonicalId}`, `owner ${owner ?? '(none)'}`);
}

/** The user may list the bucket (the key among the results) and get the object. */
export async function canRead(record, who, s3, Bucket, Key) {
  const enforced = record.ctx.isAws;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: Key })).then(
    (r) => (r.Contents ?? []).some((o) => o.Key === Key),
    (e) => e.name,
  );
  const got = await s3.send(new GetObjectCommand({ Bucket, Key })).then(
    async (r) => (await r.Body.transformToString()).length > 0,
    (e) => e.name,
  );
  const claim = `${who} lists s3://${Bucket} and gets ${Key}`;
  if (!enforced) return record.unprovable(claim, `the endpoint does not enforce bucket or key policies (list: ${listed}, get: ${got})`);
  record.check(claim, listed === true && got === true, 'both succeed', `list: ${listed}, get: ${got}`);
}

/** The user is refused both listing and getting. */
export async function isDenied(record, who, s3, Bucket, Key) {
  const list = await refusal(s3.send(new ListObjectsV2Command({ Bucket })));
  const get = await refusal(s3.send(new GetObjectCommand({ Bucket, Key })));
  const claim = `${who} gets AccessDenied listing s3://${Bucket} and getting ${Key}`;
  if (!record.ctx.isAws)
    return record.unprovable(claim, `the endpoint does not enforce bucket policies (list: ${list ?? 'allowed'}, get: ${get ?? 'allowed'})`);
  record.check(claim, list === 'AccessDenied' && get === 'AccessDenied', 'AccessDenied on both', `list: ${list ?? 'allowed'}, get: ${get ?? 'allowed'}`);
}

/** The latest version of `key` in the destination is a delete marker. */
export async function deleteMarkerArrives(record, dest, key) {
  if (!record.ctx.isAws) return record.unprovable(`the delete marker of ${key} replicates`, 'the endpoint does not replicate');
  const probe = async () => {
    const v = await dest.s3.send(new ListObjectVersionsCommand({ Bucket: dest.bucket, Prefix: key }));
    return (v.DeleteMarkers ?? []).some((m) => m.Key === key && m.IsLatest) ? true : undefined;
  };
  const { value, seconds } = await pollUntil(record.ctx, probe, { limitMs: REPLICATION_LIMIT_MS });
  record.check(`the delete marker of ${key} replicated`, !!value, 'a delete marker as the latest version', `none after ${seconds.toFixed(0)} s`);
  if (value) record.latency(`delete-marker latency of ${key}`, seconds);
}
