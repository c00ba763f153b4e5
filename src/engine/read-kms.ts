import type { AccountClients } from '../aws/clients.js';
import { call } from '../aws/errors.js';
import { describeKey, type KmsKeyFacts, readKeyPolicy } from '../aws/kms.js';
import type { InputProblem } from '../errors.js';
import { credentialsPhrase } from '../input/credentials.js';
import { flagOf, problemAt, SIDE_OPTIONS } from '../input/options.js';
import type { Accounts, SetupInput } from '../input/types.js';
import { defaultKeyAlias } from '../plan/key-policies.js';
import type { LiveBucket, LiveKmsKey } from '../plan/live.js';
import { isCrossAccount } from '../plan/names.js';

type Side = 'source' | 'destination';

export interface KmsRead {
  key: LiveKmsKey;
  problems: InputProblem[];
}

/**
 * The key one bucket will be encrypted with (sse-kms only), read-only. In order: the key given by flag (refused with
 * the reason when it cannot work), the customer-managed key the bucket already uses by default, the tool's own alias
 * (absent on a first run: the plan then creates it). Problems are returned, not thrown, so preflight lists them all.
 */
export async function readKmsKey(input: SetupInput, side: Side, clients: AccountClients, accounts: Accounts, bucket: LiveBucket): Promise<KmsRead> {
  const given = side === 'source' ? input.sourceKmsKey : input.destinationKmsKey;
  const describe = (ref: string): Promise<KmsKeyFacts | undefined> =>
    call({ doing: `reading KMS key ${ref}`, profile: clients.profile, resource: ref }, () => describeKey(clients.kms, ref));
  const withPolicy = async (facts: KmsKeyFacts, alias: string, foundBy: LiveKmsKey['foundBy']): Promise<LiveKmsKey> => {
    if (facts.awsManaged) return { arn: facts.arn, alias, foundBy, awsManaged: true };
    const policy = await call({ doing: `reading the policy of KMS key ${alias}`, profile: clients.profile, resource: facts.arn }, () =>
      readKeyPolicy(clients.kms, facts.keyId),
    );
    return { arn: facts.arn, alias, foundBy, ...(policy ? { policy } : {}) };
  };

  if (given) {
    const placement = placementProblem(given, side, input, accounts);
    if (placement) return { key: { alias: given, foundBy: 'flag' }, problems: [problemAt(SIDE_OPTIONS[side].kmsKey, placement)] };
    const facts = await describe(given);
    const problem = facts
      ? unusableProblem(facts, given, side, input, accounts)
      : `no KMS key "${given}" in account ${accounts[side]} ${input[side].region} (${credentialsPhrase(input[side].profile)}); give a key ARN, id or alias of that account and region, or leave ${flagOf(SIDE_OPTIONS[side].kmsKey)} out to have a key created`;
    if (problem || !facts) return { key: { alias: given, foundBy: 'flag' }, problems: [problemAt(SIDE_OPTIONS[side].kmsKey, problem!)] };
    return { key: await withPolicy(facts, given, 'flag'), problems: [] };
  }

  // A bucket that already encrypts with a customer-managed key of its own account keeps it: no surprise re-keying.
  const alias = defaultKeyAlias(input[side].bucket);
  const current = bucket.encryption?.algorithm === 'aws:kms' ? bucket.encryption.kmsKeyId : undefined;
  const [ours, theirs] = await Promise.all([describe(alias), current ? describe(current) : undefined]);
  if (theirs && current && !theirs.awsManaged && theirs.accountId === accounts[side] && !unusableProblem(theirs, current, side, input, accounts)) {
    return { key: theirs.arn === ours?.arn ? await withPolicy(ours, alias, 'tool') : await withPolicy(theirs, current, 'bucket'), problems: [] };
  }
  return { key: ours ? await withPolicy(ours, alias, 'tool') : { alias, foundBy: 'tool' }, problems: [] };
}

/** A key ARN names its account and region: S3 needs the key in the bucket's region, and only its account can edit its policy. */
function placementProblem(ref: string, side: Side, input: SetupInput, accounts: Accounts): string | undefined {
  if (!ref.startsWith('arn:')) return undefined;
  const [, , , region, account] = ref.split(':');
  if (region !== input[side].region) return `"${ref}" is in ${region}, but S3 needs the key in the bucket's region ${input[side].region}`;
  if (account !== accounts[side]) {
    return `"${ref}" belongs to account ${account}, not ${accounts[side]} (${credentialsPhrase(input[side].profile)}): give a key of the bucket's own account, whose policy this tool can extend`;
  }
  return undefined;
}

function unusableProblem(facts: KmsKeyFacts, ref: string, side: Side, input: SetupInput, accounts: Accounts): string | undefined {
  if (facts.state !== 'Enabled') return `"${ref}" is ${facts.state}; S3 can only encrypt with an enabled key`;
  if (!facts.symmetric) return `"${ref}" is not a symmetric encryption key; S3 supports only symmetric ENCRYPT_DECRYPT keys`;
  if (facts.awsManaged && isCrossAccount(accounts)) {
    if (side === 'destination') {
      return `"${ref}" is the AWS managed key aws/s3: AWS managed keys cannot be used by another account and their policy cannot be changed, so the replication role of account ${accounts.source} could not encrypt replicas with it. Give a customer managed key of account ${accounts.destination}, or leave --dest-kms-key out to have one created`;
    }
    if (input.authorizedUsers.length > 0) {
      return `"${ref}" is the AWS managed key aws/s3: AWS managed keys cannot be used by another account and their policy cannot be changed, so the authorised users of account ${accounts.destination} could not decrypt what they read from ${input.source.bucket}. Give a customer managed key of account ${accounts.source}, or leave --source-kms-key out to have one created`;
    }
  }
  return undefined;
}
