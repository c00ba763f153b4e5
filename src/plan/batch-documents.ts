import type { CreateJobRequest } from '@aws-sdk/client-s3-control';
import type { Accounts, SetupInput } from '../input/types.js';
import { bucketArn, partIdOf, roleArn } from './names.js';
import type { PolicyDocument } from './policy-types.js';
import { exportPrefix, uploaderPrefix } from './scope.js';

/**
 * S3 Batch Replication of the objects already in a setup's scope: the names, the batch role's documents and the
 * CreateJob request, each from the setup's identity alone. Pure.
 */
export const BATCH_PREFIX = 'replicate-setup-batch';

/** The key prefixes the setup's rules select ('' for the whole bucket). */
export const scopePrefixes = (input: SetupInput): string[] =>
  input.uploaders.length > 0 ? input.uploaders.map((uploader) => uploaderPrefix(input, uploader)) : [exportPrefix(input)];

/** Where the job's manifest and completion report go: never a place the rules select, or they would be replicated too. */
export interface BatchLocation {
  bucket: string;
  prefix: string;
  /** true: a bucket of its own (the rules select the whole source bucket); false: a prefix of the source bucket. */
  ownBucket: boolean;
}

export interface BatchNames {
  roleName: string;
  policyName: string;
  location: BatchLocation;
  /** The start of the Description of every job of this setup, and of this scope's jobs: how ListJobs finds them. */
  setupTag: string;
  scopeTag: string;
}

export function batchNames(input: SetupInput, setupId: string): BatchNames {
  const prefixes = scopePrefixes(input);
  const prefix = `${BATCH_PREFIX}/${setupId}/`;
  const inScope = prefixes.some((p) => prefix.startsWith(p));
  const scopeId = partIdOf(prefixes.join('\n'));
  return {
    roleName: `${BATCH_PREFIX}-${setupId}`,
    policyName: `${BATCH_PREFIX}-${setupId}`,
    location: inScope ? { bucket: `${BATCH_PREFIX}-${setupId}`, prefix, ownBucket: true } : { bucket: input.source.bucket, prefix, ownBucket: false },
    setupTag: `${BATCH_PREFIX}:${setupId}:`,
    scopeTag: `${BATCH_PREFIX}:${setupId}:${scopeId}`,
  };
}

export const BATCH_TRUST_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** Least privilege: start replication of the scope's objects, generate the manifest, write only to its own location. */
export function batchRolePolicy(input: SetupInput, names: BatchNames): PolicyDocument {
  const source = bucketArn(input.source.bucket);
  const location = `${bucketArn(names.location.bucket)}/${names.location.prefix}*`;
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'InitiateReplication', Effect: 'Allow', Action: 's3:InitiateReplication', Resource: scopePrefixes(input).map((p) => `${source}/${p}*`) },
      { Sid: 'GenerateManifest', Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:PutInventoryConfiguration'], Resource: source },
      { Sid: 'ManifestAndReport', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], Resource: location },
    ],
  };
}

/** The ClientRequestToken: the same setup, scope and attempt never start a second job. */
export const batchJobToken = (names: BatchNames, attempt: number): string => `${names.scopeTag}:${attempt}`.slice(0, 64);

/** One S3 Batch Operations job: replicate what the rules select that has never replicated (NONE) or failed to (FAILED). */
export function batchJobRequest(input: SetupInput, accounts: Accounts, names: BatchNames, attempt: number): CreateJobRequest {
  const prefixes = scopePrefixes(input).filter((p) => p !== '');
  const location = bucketArn(names.location.bucket);
  const scope = prefixes.length > 0 ? prefixes.join(', ') : 'the whole bucket';
  return {
    AccountId: accounts.source,
    ConfirmationRequired: false,
    Operation: { S3ReplicateObject: {} },
    Report: { Enabled: true, Bucket: location, Prefix: names.location.prefix, Format: 'Report_CSV_20180820', ReportScope: 'FailedTasksOnly' },
    ClientRequestToken: batchJobToken(names, attempt),
    Description: `${names.scopeTag}:${attempt} existing objects of ${input.source.bucket} (${scope})`.slice(0, 256),
    Priority: 10,
    RoleArn: roleArn(accounts.source, names.roleName),
    Tags: [{ Key: 'managed-by', Value: 'replicate-setup' }],
    ManifestGenerator: {
      S3JobManifestGenerator: {
        ExpectedBucketOwner: accounts.source,
        SourceBucket: bucketArn(input.source.bucket),
        EnableManifestOutput: true,
        ManifestOutputLocation: {
          ExpectedManifestBucketOwner: accounts.source,
          Bucket: location,
          ManifestPrefix: names.location.prefix,
          ManifestFormat: 'S3InventoryReport_CSV_20211130',
        },
        Filter: {
          EligibleForReplication: true,
          ObjectReplicationStatuses: ['NONE', 'FAILED'],
          ...(prefixes.length > 0 ? { KeyNameConstraint: { MatchAnyPrefix: prefixes } } : {}),
        },
      },
    },
  };
}
