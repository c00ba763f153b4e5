import type { S3Client } from '@aws-sdk/client-s3';
import * as ops from '../aws/catalogue.js';
import { type AccountClients, createAwsClients } from '../aws/clients.js';
import { httpStatus, isErrorNamed, translateAwsError } from '../aws/errors.js';
import { send } from '../aws/send.js';
import type { ReplicateSetupError } from '../errors.js';
import { exportPrefix } from '../plan/documents.js';
import { type PrincipalRef, principalRef } from '../plan/names.js';
import { type Check, fail, type Probe, pass, skip, type VerifyContext, warn } from './types.js';

type Outcome = 'allowed' | 'denied' | ReplicateSetupError;

/**
 * `--probe-profile NAME=PROFILE`: list the source bucket and read one object with NAME's own credentials. Authorised
 * users must succeed, --expect-denied ones must get AccessDenied. An endpoint that does not enforce bucket policies
 * (moto) lets everyone in: a denied user's success there is reported as unproven, not as a pass.
 */
export async function probeChecks(vc: VerifyContext): Promise<Check[]> {
  const { probes } = vc.options;
  if (probes.length === 0) return [];
  const { input, live } = vc.prepared;
  if (live.source.ownership !== 'ours') return probes.map((p) => skip(`probe:${p.name}`, `not run: ${input.source.bucket} does not exist`));
  const key = await sampleKey(vc.clients.source.s3, input.source.bucket, exportPrefix(input));
  return Promise.all(probes.map((probe) => runProbe(vc, probe, key)));
}

/** An object to read: the first under the replicated prefix, or a made-up key (S3 answers NoSuchKey only to a caller allowed to read). */
async function sampleKey(s3: S3Client, bucket: string, prefix: string): Promise<{ key: string; exists: boolean }> {
  try {
    const { Contents } = await send(s3, ops.s3.ListObjectsV2, { Bucket: bucket, Prefix: prefix, MaxKeys: 1 });
    const key = Contents?.[0]?.Key;
    if (key) return { key, exists: true };
  } catch {
    // The source profile cannot list: the probe still asks for a key that does not exist.
  }
  return { key: `${prefix}replicate-setup-probe-${Date.now()}`, exists: false };
}

async function attempt(run: () => Promise<unknown>, clients: AccountClients, doing: string): Promise<Outcome> {
  try {
    await run();
    return 'allowed';
  } catch (error) {
    if (httpStatus(error) === 403 || isErrorNamed(error, 'AccessDenied')) return 'denied';
    // NoSuchKey is the answer to a caller allowed to read; InvalidRange to one reading an empty object.
    if (isErrorNamed(error, 'NoSuchKey', 'InvalidRange')) return 'allowed';
    return translateAwsError(error, { doing, profile: clients.profile });
  }
}

/** The caller a profile really is, against the principal it is said to be (an assumed role counts as its role). */
function isPrincipal(callerArn: string, ref: PrincipalRef): boolean {
  if (callerArn === ref.arn) return true;
  const assumed = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(callerArn);
  return ref.kind === 'role' && !!assumed && assumed[1] === ref.accountId && assumed[2] === ref.name;
}

async function runProbe(vc: VerifyContext, probe: Probe, sample: { key: string; exists: boolean }): Promise<Check> {
  const { input, accounts } = vc.prepared;
  const id = `probe:${probe.name}`;
  const expect = input.authorizedUsers.includes(probe.name) ? 'allowed' : 'denied';
  const ref = principalRef(probe.name, accounts.destination);
  const bucket = input.source.bucket;
  const probeClients = (
    await createAwsClients({
      source: { ...input.source, profile: probe.profile },
      destination: { ...input.source, profile: probe.profile },
      ...(input.endpointUrl ? { endpointUrl: input.endpointUrl } : {}),
    })
  ).source;
  let caller: string | undefined;
  try {
    caller = (await send(probeClients.sts, ops.sts.GetCallerIdentity, {})).Arn;
  } catch (error) {
    const translated = translateAwsError(error, { doing: `identifying profile ${probe.profile}`, profile: probe.profile });
    return fail(id, `could not probe as ${probe.name}: ${translated.message}`, translated.remedy ?? `Check profile ${probe.profile}.`);
  }
  if (!caller || !isPrincipal(caller, ref)) {
    return warn(
      id,
      `profile ${probe.profile} is ${caller ?? 'an unknown principal'}, not ${ref.arn}: the probe would prove nothing about ${probe.name}`,
      `Pass --probe-profile ${probe.name}=PROFILE with a profile holding ${probe.name}'s own credentials.`,
    );
  }
  const [list, read] = await Promise.all([
    attempt(
      () => send(probeClients.s3, ops.s3.ListObjectsV2, { Bucket: bucket, Prefix: exportPrefix(input), MaxKeys: 1 }),
      probeClients,
      `listing ${bucket} as ${probe.name}`,
    ),
    attempt(
      () => send(probeClients.s3, ops.s3.GetObject, { Bucket: bucket, Key: sample.key, Range: 'bytes=0-0' }).then((r) => r.Body?.transformToByteArray()),
      probeClients,
      `reading s3://${bucket}/${sample.key} as ${probe.name}`,
    ),
  ]);
  const failure = [list, read].find((o): o is ReplicateSetupError => typeof o !== 'string');
  if (failure) return fail(id, `could not probe as ${probe.name}: ${failure.message}`, failure.remedy ?? `Check profile ${probe.profile}.`);
  const what = sample.exists
    ? `read s3://${bucket}/${sample.key}`
    : 'read (no object under the prefix yet: S3 answered NoSuchKey, which it tells only a caller allowed to read)';
  const outcomes = `list ${list === 'allowed' ? 'allowed' : 'AccessDenied'}, read ${read === 'allowed' ? 'allowed' : 'AccessDenied'}`;
  const unenforced = !vc.clients.isAws;
  if (expect === 'allowed') {
    if (list === 'allowed' && read === 'allowed') {
      return pass(
        id,
        `${probe.name} (profile ${probe.profile}) listed ${bucket} and ${what}${unenforced ? '; this endpoint does not enforce bucket policies, so this proves the credentials and the path, not the policies' : ''}`,
      );
    }
    return fail(
      id,
      `${probe.name} (profile ${probe.profile}) was refused: ${outcomes}`,
      `See source.policy.reader:${probe.name} and reader.identity:${probe.name}; \`replicate-setup wizard\` with the same flags grants both.`,
    );
  }
  if (list === 'denied' && read === 'denied')
    return pass(id, `${probe.name} (profile ${probe.profile}) was refused listing and reading ${bucket} (AccessDenied), as expected`);
  if (unenforced) {
    return warn(
      id,
      `${probe.name} (profile ${probe.profile}) was not refused (${outcomes}): this endpoint does not enforce bucket policies, so the refusal cannot be proven here`,
      'Run the probe against AWS (without --endpoint-url) to prove it; source.policy.denied shows what the policy grants.',
    );
  }
  return fail(
    id,
    `${probe.name} (profile ${probe.profile}) was not refused: ${outcomes}`,
    `See source.policy.denied:${probe.name} and remove whatever grants it (bucket policy, or its own policies if it is in the source account).`,
  );
}
