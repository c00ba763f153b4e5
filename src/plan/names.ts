import type { Accounts, SetupInput } from '../input/types.js';

/**
 * Every name and ARN the tool derives from the input, in one place, so the documents, the plan and verify agree.
 * The tool's own statements and rules carry the `ReplicateSetup`/`replicate-setup` marks so a re-run can find and
 * replace exactly them and leave the user's own alone.
 */
export const SID_PREFIX = 'ReplicateSetup';
export const RULE_ID_PREFIX = 'replicate-setup';
export const ROLE_POLICY_NAME_PREFIX = 'replicate-setup-replication';
export const READER_POLICY_NAME_PREFIX = 'replicate-setup-read';

// The ARN helpers moved to src/arns.ts; re-exported here so code importing them from the plan keeps compiling.
export { bucketArn, isPrincipalArn, objectsArn, type PrincipalRef, parsePrincipalArn, principalRef, roleArn, userArn } from '../arns.js';

/** Sids allow letters and digits only, so bucket names are folded to that alphabet. */
export const sidPart = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

/** Rule ids of this tool for one destination: a source may replicate to several destinations, each with its rules. */
export const ruleIdPrefixFor = (destinationBucket: string): string => `${RULE_ID_PREFIX}:${destinationBucket}`;

/**
 * A Sid of the tool's in the source bucket policy. It names the destination: a source replicating to several
 * destinations holds each setup's statements side by side, and a run replaces only its own.
 */
export const sourceSid = (name: string, destinationBucket: string): string => `${SID_PREFIX}${name}To${sidPart(destinationBucket)}`;

/** The tool's statements in the source bucket policy for one destination. */
export const ownsSourceStatement =
  (destinationBucket: string) =>
  (sid: string | undefined): boolean =>
    !!sid && sid.startsWith(SID_PREFIX) && sid.endsWith(`To${sidPart(destinationBucket)}`);

/** The tool's statements in a destination bucket policy for one source: several sources may replicate into it. */
export const ownsDestinationStatement =
  (sourceBucket: string) =>
  (sid: string | undefined): boolean =>
    !!sid && sid.startsWith(SID_PREFIX) && sid.endsWith(`From${sidPart(sourceBucket)}`);

/** A rule ID of ours without its `@fingerprint`: what stays the same when the rule's selection changes. */
export const ruleBaseId = (id: string | undefined): string | undefined => id?.split('@')[0];

/** Whether a rule ID is one this tool wrote for this destination (`base`, `base:uploader`, each `@fingerprint`). */
export const ownsRule =
  (destinationBucket: string) =>
  (id: string | undefined): boolean => {
    const base = ruleIdPrefixFor(destinationBucket);
    return id !== undefined && (id === base || id.startsWith(`${base}@`) || id.startsWith(`${base}:`));
  };

export const rolePolicyName = (input: SetupInput): string => `${ROLE_POLICY_NAME_PREFIX}-${input.source.bucket}-to-${input.destination.bucket}`.slice(0, 128);

export const readerPolicyName = (input: SetupInput): string =>
  `${READER_POLICY_NAME_PREFIX}-${input.source.bucket}-to-${input.destination.bucket}`.slice(0, 128);

export const isCrossAccount = (accounts: Accounts): boolean => accounts.source !== accounts.destination;
