import { bucketOwnership } from '../aws/bucket-holder.js';
import type { AccountClients, AwsClients } from '../aws/clients.js';
import { call } from '../aws/errors.js';
import { findPrincipal } from '../aws/iam-principals.js';
import { accountOf } from '../aws/identity.js';
import { InputError, type InputProblem } from '../errors.js';
import { credentialsPhrase } from '../input/credentials.js';
import { flagOf, problemAt, SIDE_OPTIONS } from '../input/options.js';
import type { Accounts, BucketSide, SetupInput } from '../input/types.js';
import { uploaderArn } from '../plan/documents.js';
import type { LiveBucket } from '../plan/live.js';
import { type PrincipalRef, parsePrincipalArn, principalRef } from '../plan/names.js';

/** Who holds a bucket name, and where the bucket is when it is ours. */
export type BucketHolder = Pick<LiveBucket, 'ownership' | 'region'>;

export interface FoundPrincipal {
  ref: PrincipalRef;
  exists: boolean;
  /** The ARN IAM reports, path included. */
  actualArn?: string;
}

/**
 * The first round trip of every read, all of it at once: which account each profile is, who holds each bucket name,
 * whether each named reader and uploader exists. Every problem of the input's own (a bucket held elsewhere, a user that
 * does not exist) that needs no more than this is found here, so a run that will certainly write can take its locks
 * straight after it (engine/setup.ts).
 */
export interface Preflight {
  accounts: Accounts;
  source: BucketHolder;
  destination: BucketHolder;
  /** Readers in the destination account, looked up there (a reader of another account cannot be). */
  readers: FoundPrincipal[];
  /** Uploaders in the source account, looked up there. */
  uploaders: FoundPrincipal[];
  problems: InputProblem[];
}

const kindAndName = (nameOrArn: string): Pick<PrincipalRef, 'kind' | 'name'> => parsePrincipalArn(nameOrArn) ?? { kind: 'user', name: nameOrArn };

/** The preflight's answer, and the account ids as soon as they are known (reads named by the setup's ids need them). */
export interface StartedPreflight {
  accounts: Promise<Accounts>;
  preflight: Promise<Preflight>;
}

export function startPreflight(input: SetupInput, clients: AwsClients): StartedPreflight {
  const accounts = identities(clients);
  const answer = preflight(input, clients, accounts);
  // The caller awaits the preflight, which fails when the identities do: their own rejection is not left unhandled.
  accounts.catch(() => undefined);
  return { accounts, preflight: answer };
}

async function preflight(input: SetupInput, clients: AwsClients, identified: Promise<Accounts>): Promise<Preflight> {
  const holders = Promise.all([holderOf(clients.source, input.source.bucket), holderOf(clients.destination, input.destination.bucket)]);
  // Principals are looked up by name with the rest (IAM's names need no account id); which of them are in the
  // profile's own account is known once the identities are.
  const lookup = (side: AccountClients, nameOrArn: string) => {
    const { kind, name } = kindAndName(nameOrArn);
    return read(side, `reading IAM ${kind} ${name}`, () => findPrincipal(side.iam, { kind, name }));
  };
  const readersFound = Promise.all(input.authorizedUsers.map((user) => lookup(clients.destination, user)));
  const uploadersFound = Promise.all(input.uploaders.map((uploader) => lookup(clients.source, uploader)));
  // Credentials are settled first, both sides: a profile without credentials fails every call, and the user should
  // hear "fix --source-profile" (and --dest-profile, if both), not whichever other call happened to fail first.
  for (const pending of [holders, readersFound, uploadersFound]) pending.catch(() => undefined);
  const accounts = await identified;
  const [[source, destination], readerAnswers, uploaderAnswers] = await Promise.all([holders, readersFound, uploadersFound]);

  const readerRefs = input.authorizedUsers.map((user) => principalRef(user, accounts.destination));
  const uploaderRefs = input.uploaders.map((uploader) => principalRef(uploaderArn(uploader, accounts.source), accounts.source));
  const readers = readerRefs.flatMap((ref, i) => (ref.accountId === accounts.destination ? [{ ref, ...readerAnswers[i]! }] : []));
  const uploaders = uploaderRefs.flatMap((ref, i) => (ref.accountId === accounts.source ? [{ ref, ...uploaderAnswers[i]! }] : []));
  const problems: InputProblem[] = [
    ...bucketProblems('source', input.source, source, accounts.source),
    ...bucketProblems('destination', input.destination, destination, accounts.destination),
    // A name and an ARN can only be seen to mean the same principal once the account is known.
    ...sameTwice('authorizedUser', readerRefs),
    ...sameTwice('uploader', uploaderRefs),
    ...principalProblems(input, accounts, readers, uploaders, uploaderRefs),
  ];
  return { accounts, source, destination, readers, uploaders, problems };
}

/** Whether the input is wrong about a bucket (held by another account, in another region): then it is not read further. */
export const bucketRefused = (side: 'source' | 'destination', problems: readonly InputProblem[]): boolean => {
  const flags = [flagOf(SIDE_OPTIONS[side].bucket), flagOf(SIDE_OPTIONS[side].region)];
  return problems.some((p) => flags.includes(p.flag));
};

function principalProblems(input: SetupInput, accounts: Accounts, readers: FoundPrincipal[], uploaders: FoundPrincipal[], uploaderRefs: PrincipalRef[]) {
  const problems: InputProblem[] = [];
  for (const reader of readers.filter((r) => !r.exists)) {
    problems.push(
      problemAt('authorizedUser', `${reader.ref.arn} does not exist in account ${accounts.destination} (${credentialsPhrase(input.destination.profile)})`),
    );
  }
  // Policies name principals by ARN, path included: a bare name for a user under a path must be given as its ARN.
  for (const [option, found] of [...readers.map((r) => ['authorizedUser', r] as const), ...uploaders.map((u) => ['uploader', u] as const)]) {
    if (found.actualArn && found.actualArn !== found.ref.arn) {
      problems.push(
        problemAt(
          option,
          `${found.ref.arn.split('/').pop()} is ${found.actualArn} (under an IAM path): pass that full ARN, since policies name principals with their path`,
        ),
      );
    }
  }
  for (const { ref } of uploaders.filter((u) => !u.exists)) {
    const hint = input.uploaders.includes(ref.name) ? ' (a bare name means an IAM user; for a role, pass its ARN)' : '';
    problems.push(problemAt('uploader', `${ref.arn} does not exist in account ${accounts.source} (${credentialsPhrase(input.source.profile)})${hint}`));
  }
  for (const ref of uploaderRefs.filter((u) => u.accountId !== accounts.source)) {
    problems.push(
      problemAt(
        'uploader',
        `${ref.arn} is not in the source account ${accounts.source}: uploaders are users or roles of the account that owns ${input.source.bucket}`,
      ),
    );
  }
  return problems;
}

function sameTwice(option: 'authorizedUser' | 'uploader', refs: { arn: string }[]): InputProblem[] {
  const arns = refs.map((ref) => ref.arn);
  return [...new Set(arns.filter((arn, i) => arns.indexOf(arn) !== i))].map((arn) =>
    problemAt(option, `gives ${arn} twice (by name and by ARN): give each principal once`),
  );
}

export async function identities(clients: AwsClients): Promise<Accounts> {
  const [source, destination] = await Promise.allSettled([
    whoAmI(clients.source, flagOf(SIDE_OPTIONS.source.profile)),
    whoAmI(clients.destination, flagOf(SIDE_OPTIONS.destination.profile)),
  ]);
  if (source.status === 'fulfilled' && destination.status === 'fulfilled') return { source: source.value, destination: destination.value };
  const failures = [source, destination].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const inputErrors = failures.filter((e): e is InputError => e instanceof InputError);
  // A profile that cannot sign is the input's fault and is reported as such, even when the other side's failure is
  // of another kind (it would only recur once the credentials are fixed).
  if (inputErrors.length > 0)
    throw new InputError(
      inputErrors.flatMap((e) => e.problems),
      'NO_CREDENTIALS',
    );
  throw failures[0];
}

async function whoAmI(clients: AccountClients, flag: string): Promise<string> {
  try {
    return await call({ doing: 'identifying the account (sts:GetCallerIdentity)', profile: clients.profile }, () => accountOf(clients.sts));
  } catch (error) {
    if (error instanceof InputError) throw error;
    const translated = error as { code?: string; message?: string; remedy?: string };
    if (translated.code === 'NO_CREDENTIALS') {
      throw new InputError([{ flag, message: `${translated.message} ${translated.remedy ?? ''}`.trim() }], 'NO_CREDENTIALS');
    }
    throw error;
  }
}

/**
 * A read started before the preflight says whether it applies, on a guess (a bucket this process already knows to be
 * ours): made at once when `guess` holds, its failure kept rather than thrown. The function returned gives its answer,
 * or reads again when there was no guess or the early read failed; it is called only once the preflight says the read
 * applies, so an early read the preflight contradicts is dropped.
 */
export function readEarly<T>(guess: boolean, reading: () => Promise<T>): () => Promise<T> {
  const early = guess
    ? reading().then(
        (value) => ({ value }),
        () => undefined,
      )
    : undefined;
  return async () => {
    const known = await early;
    return known ? known.value : reading();
  };
}

/** A read whose failure says what the tool was doing; the failed call itself names the permission it needed. */
export const read = <T>(clients: AccountClients, doing: string, run: () => Promise<T>): Promise<T> => call({ doing, profile: clients.profile }, run);

const holderOf = (clients: AccountClients, bucket: string): Promise<BucketHolder> =>
  read(clients, `checking bucket ${bucket}`, () => bucketOwnership(clients.s3, bucket));

function bucketProblems(side: 'source' | 'destination', wanted: BucketSide, holder: BucketHolder, account: string): InputProblem[] {
  const keys = SIDE_OPTIONS[side];
  if (holder.ownership === 'foreign') {
    return [
      problemAt(
        keys.bucket,
        `bucket "${wanted.bucket}" already exists and belongs to another account than ${account} (${credentialsPhrase(wanted.profile)}); bucket names are global, choose another name`,
      ),
    ];
  }
  if (holder.ownership === 'ours' && holder.region !== wanted.region) {
    return [
      problemAt(
        keys.region,
        `bucket "${wanted.bucket}" already exists in ${holder.region}, not ${wanted.region}: pass ${flagOf(keys.region)} ${holder.region} or choose another bucket name`,
      ),
    ];
  }
  return [];
}
