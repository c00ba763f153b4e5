import type { ReplicationRuleFilter } from '@aws-sdk/client-s3';
import type { Accounts, SetupInput } from '../input/types.js';
import type { ReplicationConfiguration } from './merge.js';
import { isCrossAccount } from './names.js';
import { exportPrefix, uploaderPrefix } from './scope.js';

/**
 * What a person should know about the scenario the flags describe (prefix, uploaders, log backup, one account), in
 * words. Pure; plan prints these as notes and verify can state the same scope.
 */

/** The replication scope in words: "the whole bucket", "objects under incidents/", or the uploaders' prefixes. */
export function replicationScope(input: SetupInput): string {
  if (input.uploaders.length > 0) {
    const prefixes = input.uploaders.map((uploader) => uploaderPrefix(input, uploader));
    return `objects under ${prefixes.join(', ')} (each written only by its uploader)`;
  }
  const prefix = exportPrefix(input);
  return prefix ? `objects under ${prefix}` : 'the whole bucket';
}

export function scenarioNotes(input: SetupInput, accounts: Accounts, configuration: ReplicationConfiguration): string[] {
  const { source, destination } = input;
  const notes: string[] = [];
  const prefix = exportPrefix(input);
  notes.push(
    prefix
      ? `Scope: ${replicationScope(input)} in ${source.bucket} replicate to ${destination.bucket}; objects elsewhere in the bucket do not.`
      : `Scope: the whole bucket ${source.bucket} replicates to ${destination.bucket}.`,
  );
  // A wildcard is refused as input; the note must never suggest one ("logs/*/") for a prefix that got here some other way.
  if (input.prefix && !input.prefix.endsWith('/') && !/[*?]/.test(input.prefix)) {
    notes.push(
      `Warning: --prefix "${input.prefix}" has no trailing slash, so it also matches keys such as "${input.prefix}-old/…" or "${input.prefix}.txt"${input.uploaders.length > 0 ? ` and the uploader prefixes become "${uploaderPrefix(input, input.uploaders[0]!)}"` : ''}; use "${input.prefix}/" to mean the folder.`,
    );
  }
  if (input.uploaders.length > 0) notes.push(uploaderNote(input, configuration));
  if (input.storageClass === 'REDUCED_REDUNDANCY') {
    notes.push('Warning: --storage-class REDUCED_REDUNDANCY is deprecated by AWS: less durable than STANDARD and no cheaper; prefer STANDARD or STANDARD_IA.');
  }
  if (input.preset === 'log-backup') {
    const destinationPrefix = prefix.replace(/\/+$/, '');
    notes.push(
      `Log backup: CloudWatch Logs in ${source.region} may export log groups of account ${accounts.source} into s3://${source.bucket}/${prefix} ` +
        `(aws logs create-export-task --destination ${source.bucket} --destination-prefix ${destinationPrefix} …); export tasks write only to a bucket in the log group's own region, and the bucket policy admits no other account.`,
    );
  }
  if (input.encryption === 'sse-kms') notes.push(encryptionNote(input));
  if (input.storageClass) notes.push(`Replicas are stored as ${input.storageClass} in ${destination.bucket} (the source copies keep their own class).`);
  notes.push(...deleteMarkerTagNotes(configuration.Rules));
  if (!isCrossAccount(accounts)) {
    notes.push(
      'Source and destination are the same account, so these are dropped: the owner override (AccessControlTranslation) and the destination Account in the rule, and the destination bucket policy. ' +
        "They exist to hand replicas to another account; inside one account the replication role's own identity policy is enough.",
    );
  }
  if (source.region === destination.region) notes.push(`Both buckets are in ${source.region}: this is same-region replication (SRR).`);
  return notes;
}

/** The walkthrough's question "are you able to open the objects?", answered for this setup. */
function encryptionNote(input: SetupInput): string {
  const readers = input.authorizedUsers.map((user) => user.split('/').pop()).join(', ');
  const who = readers
    ? `${readers} can open them: each key policy and their identity policy allow kms:Decrypt through S3, and the source bucket policy allows the cross-account read; nobody else is granted.`
    : 'No --authorized-user is given, so only principals the key owners allow themselves can open them.';
  return `SSE-KMS: each bucket encrypts by default with its own key (S3 Bucket Key on); the rule also replicates SSE-KMS objects and encrypts the replicas with the destination key. ${who}`;
}

function uploaderNote(input: SetupInput, configuration: ReplicationConfiguration): string {
  const names = input.uploaders.map((uploader) => uploader.split('/').pop()!);
  const rules = configuration.Rules.filter((rule) => names.some((name) => rule.ID?.includes(`:${name}@`)));
  const priorities = rules.map((rule) => rule.Priority).filter((p) => p !== undefined);
  return (
    `Only objects uploaded by ${names.join(', ')} replicate. S3 replication filters on key prefix, not on who uploaded, so each uploader gets its own prefix ` +
    `(${input.uploaders.map((u) => uploaderPrefix(input, u)).join(', ')}) replicated by its own rule (priorities ${priorities.join(', ')}), and the source bucket policy denies s3:PutObject ` +
    `under each prefix to every principal except that uploader (aws:PrincipalArn), so what is there can only come from that uploader. Uploads anywhere else are not replicated.`
  );
}

/** S3 rejects a rule that filters on tags and replicates delete markers. This tool's rules never filter on tags. */
function deleteMarkerTagNotes(rules: ReplicationConfiguration['Rules']): string[] {
  return rules
    .filter((rule) => rule.DeleteMarkerReplication?.Status === 'Enabled' && hasTagFilter(rule.Filter))
    .map(
      (rule) =>
        `Warning: rule ${rule.ID ?? '(unnamed)'} filters on tags and replicates delete markers; S3 rejects that combination, so writing the replication configuration will fail until that rule turns delete-marker replication off.`,
    );
}

function hasTagFilter(filter: ReplicationRuleFilter | undefined): boolean {
  if (!filter) return false;
  return filter.Tag !== undefined || (filter.And?.Tags?.length ?? 0) > 0;
}
