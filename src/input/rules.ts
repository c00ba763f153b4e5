import { parse, validate } from '@aws-sdk/util-arn-parser';
import { isPrincipalArn } from '../arns.js';

/**
 * Naming rules AWS enforces, checked locally so bad input is refused before anything is written. Each check returns
 * the reason a value is wrong, or undefined when it is fine.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (got ${name.length})`;
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may contain only lowercase letters, digits, dots (.) and hyphens (-)';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'must begin and end with a lowercase letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `must not start with "${prefix}" (reserved by S3)`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `must not end with "${suffix}" (reserved by S3)`;
  }
  return undefined;
}

const IAM_NAME = /^[\w+=,.@-]+$/;

export function iamNameProblem(name: string, what: string, max: number): string | undefined {
  if (name.length === 0) return `${what} must not be empty`;
  if (name.length > max) return `${what} must be at most ${max} characters (got ${name.length})`;
  if (!IAM_NAME.test(name)) return `${what} may contain only letters, digits and + = , . @ _ -`;
  return undefined;
}

/** An IAM user/role given by name (checked as a name) or by ARN (checked as a user or role ARN). */
export function principalProblem(value: string, what: string): string | undefined {
  if (value.startsWith('arn:')) {
    const partition = partitionProblem(value);
    if (partition) return partition;
    return isPrincipalArn(value) ? undefined : 'is not a valid IAM user or role ARN (arn:aws:iam::123456789012:user/NAME)';
  }
  return iamNameProblem(value, what, 64);
}

/**
 * The tool writes every ARN in the `aws` partition (its buckets, role and keys), and a policy there can never name a
 * principal or key of another partition (aws-cn, aws-us-gov): refused rather than written into a policy that cannot work.
 */
export function partitionProblem(arn: string): string | undefined {
  if (!validate(arn)) return undefined;
  const { partition } = parse(arn);
  if (partition === 'aws') return undefined;
  return `is in the "${partition}" partition: replicate-setup works in the standard "aws" partition only (arn:aws:…), and a policy there cannot name a principal or key of another partition`;
}

export function prefixProblem(prefix: string): string | undefined {
  if (prefix.length > 1024) return 'must be at most 1024 characters';
  if (prefix.startsWith('/')) return 'must not start with "/" (S3 keys have no leading slash)';
  // S3 filters take * and ? literally, IAM resource ARNs as wildcards: the uploader fence would reach other keys.
  if (/[*?]/.test(prefix)) {
    return 'must not contain * or ?: a replication filter is a literal key prefix (no wildcards), while the same characters in IAM policies would match other keys; give the literal prefix, e.g. logs/';
  }
  return undefined;
}

export function profileNameProblem(name: string): string | undefined {
  if (name.trim().length === 0) return 'must not be empty';
  if (/[\s[\]]/.test(name)) return 'must not contain spaces or brackets';
  return undefined;
}

export function endpointProblem(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http:// or https:// URL';
    return undefined;
  } catch {
    return 'must be a URL such as http://127.0.0.1:5000';
  }
}

export const KMS_KEY_REF =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]{36}|key\/mrk-[0-9a-f]{32}|alias\/[\w/-]+)|alias\/[\w/-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

export const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
] as const;

export type StorageClassName = (typeof STORAGE_CLASSES)[number];

/**
 * What the wizard offers: REDUCED_REDUNDANCY is deprecated by AWS (less durable than STANDARD and no cheaper), so it
 * is not offered; still accepted from --storage-class, with a warning in the plan, so existing configs keep working.
 */
export const OFFERED_STORAGE_CLASSES = STORAGE_CLASSES.filter((storageClass) => storageClass !== 'REDUCED_REDUNDANCY');

export const isStorageClass = (value: string): value is StorageClassName => (STORAGE_CLASSES as readonly string[]).includes(value);
