import { createHash } from 'node:crypto';
import type { Accounts, SetupInput } from '../input/types.js';

/**
 * Every name the tool gives what it writes, derived from the setup's full identity: both buckets and both accounts.
 * A setup is found again by equality on its id, never by a prefix or suffix of a bucket name, so setups that share a
 * bucket, a role or a reader never claim each other's statements, rules or inline policies. Generated names stay
 * within AWS's limits without truncation collisions: the id comes first, readable parts after it.
 */
export const SID_PREFIX = 'ReplicateSetup';
export const RULE_ID_PREFIX = 'replicate-setup';
export const ROLE_POLICY_NAME_PREFIX = 'replicate-setup-replication';
export const READER_POLICY_NAME_PREFIX = 'replicate-setup-read';

// The ARN helpers moved to src/arns.ts; re-exported here so code importing them from the plan keeps compiling.
export { bucketArn, isPrincipalArn, objectsArn, type PrincipalRef, parsePrincipalArn, principalRef, roleArn, userArn } from '../arns.js';

/** 12 hex digits (48 bits) of SHA-256: collisions between the setups of one account are not a practical concern. */
export const SETUP_ID_LENGTH = 12;
const PART_LENGTH = 8;

const hex = (text: string, length: number): string => createHash('sha256').update(text).digest('hex').slice(0, length);

/** The id of the setup that replicates one bucket of one account to one bucket of another (or the same) account. */
export const setupIdOf = (input: Pick<SetupInput, 'source' | 'destination'>, accounts: Accounts): string =>
  hex(`${accounts.source}/${input.source.bucket}->${accounts.destination}/${input.destination.bucket}`, SETUP_ID_LENGTH);

/** A short stable id of one principal (an uploader's ARN) inside a setup's names. */
export const partIdOf = (text: string): string => hex(text, PART_LENGTH);

/** What each statement of ours is for; letters only, since a Sid is alphanumeric. */
export const SID_PURPOSES = [
  'AuthorizedList',
  'AuthorizedRead',
  'OnlyUploader',
  'LogsExportAcl',
  'LogsExportWrite',
  'Replicas',
  'Versioning',
  'ReplicationDecrypt',
  'SourceReaderDecrypt',
  'UploaderEncrypt',
  'LogsExport',
  'ReplicaEncrypt',
  'ReplicaReaderDecrypt',
  'AlertsFromS3',
  'AlertsFromAlarms',
] as const;
export type SidPurpose = (typeof SID_PURPOSES)[number];

/** `ReplicateSetup<Purpose>[<part id>]<setup id>`, e.g. `ReplicateSetupReplicas3f9a1c2b7d04`. */
export const sidOf = (setupId: string, purpose: SidPurpose, part?: string): string => `${SID_PREFIX}${purpose}${part ?? ''}${setupId}`;

const SID_SHAPE = new RegExp(`^${SID_PREFIX}(${SID_PURPOSES.join('|')})((?:[0-9a-f]{${PART_LENGTH}})?)([0-9a-f]{${SETUP_ID_LENGTH}})$`);

/** A Sid of ours taken apart, or undefined for anybody else's. */
export function parseSid(sid: string | undefined): { purpose: SidPurpose; part?: string; setupId: string } | undefined {
  const match = sid === undefined ? null : SID_SHAPE.exec(sid);
  if (!match) return undefined;
  return { purpose: match[1] as SidPurpose, ...(match[2] ? { part: match[2] } : {}), setupId: match[3]! };
}

/** Whether a Sid is one of this setup's: equality on the setup id. */
export const isSidOfSetup = (setupId: string, sid: string | undefined): boolean => parseSid(sid)?.setupId === setupId;

/**
 * `replicate-setup:<destination bucket>:<setup id>[:<scope>]`; with `@<fingerprint>` of what it selects appended
 * (documents.ts). The destination is there for people reading the console; the id is what identifies.
 */
export const ruleBaseIdOf = (setupId: string, destinationBucket: string, scope?: string): string =>
  `${RULE_ID_PREFIX}:${destinationBucket}:${setupId}${scope ? `:${scope}` : ''}`;

const RULE_SHAPE = new RegExp(`^${RULE_ID_PREFIX}:[a-z0-9.-]+:([0-9a-f]{${SETUP_ID_LENGTH}})(?::[^@]+)?(?:@[0-9a-f]{8})?$`);

/** Whether a rule ID is one of this setup's: equality on the setup id it carries. */
export const isRuleOfSetup = (setupId: string, id: string | undefined): boolean => id !== undefined && RULE_SHAPE.exec(id)?.[1] === setupId;

/** A rule ID of ours without its `@fingerprint`: what stays the same when the rule's selection changes. */
export const ruleBaseId = (id: string | undefined): string | undefined => id?.split('@')[0];

const inlinePolicyName = (prefix: string, setupId: string, input: Pick<SetupInput, 'source' | 'destination'>): string =>
  // The id comes before the readable part, so cutting at IAM's 128 characters cannot make two setups' names equal.
  `${prefix}-${setupId}-${input.source.bucket}-to-${input.destination.bucket}`.slice(0, 128);

/** Every name of one setup, computed once from its identity. */
export interface SetupNames {
  setupId: string;
  rolePolicy: string;
  readerPolicy: string;
}

export function setupNames(input: Pick<SetupInput, 'source' | 'destination'>, accounts: Accounts): SetupNames {
  const setupId = setupIdOf(input, accounts);
  return {
    setupId,
    rolePolicy: inlinePolicyName(ROLE_POLICY_NAME_PREFIX, setupId, input),
    readerPolicy: inlinePolicyName(READER_POLICY_NAME_PREFIX, setupId, input),
  };
}

/** The previous release's inline policy names, cut at 128 characters (so two long pairs could share one). */
export const legacyPolicyNames = (input: Pick<SetupInput, 'source' | 'destination'>): { rolePolicy: string; readerPolicy: string } => ({
  rolePolicy: `${ROLE_POLICY_NAME_PREFIX}-${input.source.bucket}-to-${input.destination.bucket}`.slice(0, 128),
  readerPolicy: `${READER_POLICY_NAME_PREFIX}-${input.source.bucket}-to-${input.destination.bucket}`.slice(0, 128),
});

/** Sids allow letters and digits only: a name folded to that alphabet (for the previous release's names). */
export const sidPart = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

export const isCrossAccount = (accounts: Accounts): boolean => accounts.source !== accounts.destination;
