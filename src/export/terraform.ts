import type { ReplicationRule } from '@aws-sdk/client-s3';
import type { ChangeOf, Side } from '../plan/changes.js';
import { FULL_PUBLIC_ACCESS_BLOCK } from '../plan/documents.js';
import type { PolicyDocument } from '../plan/policy-types.js';
import { attr, type Block, type BodyItem, block, raw, type Value, writeHcl } from './hcl.js';
import { changesOf, type ExportModel, oneChange, SIDES, withReferences } from './model.js';
import { alertResources } from './terraform-alerts.js';

/**
 * The setup as one Terraform directory (one file, main.tf): a provider alias per account, the split aws_s3_bucket_*
 * resources, the role and its policy, the readers' policies, the KMS keys with sse-kms, and an import block for every
 * resource that exists live. Every document is the plan's, written with jsonencode.
 */

const provider = (side: Side): BodyItem => attr('provider', raw(`aws.${side}`));
const bucketId = (side: Side): Value => raw(`aws_s3_bucket.${side}.id`);
const terraformName = (text: string): string => text.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1');

export function terraformMainTf(model: ExportModel): string {
  const imports: Block[] = [];
  const adopt = (exists: boolean, address: string, side: Side, id: string): void => {
    if (exists) imports.push(block('import', [], [attr('to', raw(address)), provider(side), attr('id', id)]));
  };
  const json = (document: PolicyDocument): Value => ({
    jsonencode: withReferences(document, (text) => {
      const side = SIDES.find((s) => model.keyStandIns[s] === text);
      return side ? raw(`aws_kms_key.${side}.arn`) : undefined;
    }),
  });
  const resources = [...sideResources(model, 'destination', json, adopt), ...sideResources(model, 'source', json, adopt)];
  const { input } = model.prepared;
  return writeHcl(
    [terraformBlock(), ...variables(model), ...SIDES.map(providerBlock), ...resources, ...imports],
    [
      `replicate-setup export: ${input.source.bucket} (account ${model.prepared.accounts.source}) replicates to ${input.destination.bucket} (account ${model.prepared.accounts.destination}).`,
      'Generated from the same plan `replicate-setup plan` shows. Import blocks (Terraform >= 1.5) adopt what already exists.',
      'A bucket policy and a replication configuration are each one document: the whole merged document is written here,',
      "other people's statements and rules included, so applying it drops nobody's.",
      ...(changesOf(model, 'batch-job').length > 0
        ? ['The Batch Replication job is a one-off action with no Terraform resource: `replicate-setup wizard` starts it, `jobs` watches it.']
        : []),
    ],
  );
}

const terraformBlock = (): Block =>
  block(
    'terraform',
    [],
    [attr('required_version', '>= 1.5.0'), block('required_providers', [], [attr('aws', { source: 'hashicorp/aws', version: '>= 5.0' })])],
  );

function variables(model: ExportModel): Block[] {
  return SIDES.flatMap((side) => {
    const { profile, region } = model.prepared.input[side];
    return [
      block(
        'variable',
        [`${side}_profile`],
        [attr('description', `AWS profile of the ${side} account`), attr('type', raw('string')), attr('default', profile ?? raw('null'))],
      ),
      block('variable', [`${side}_region`], [attr('description', `Region of the ${side} bucket`), attr('type', raw('string')), attr('default', region)]),
    ];
  });
}

const providerBlock = (side: Side): Block =>
  block('provider', ['aws'], [attr('alias', side), attr('profile', raw(`var.${side}_profile`)), attr('region', raw(`var.${side}_region`))]);

import type { Adopt, Json } from './terraform-types.js';

export type { Adopt, Json } from './terraform-types.js';

function sideResources(model: ExportModel, side: Side, json: Json, adopt: Adopt): Block[] {
  const has = (id: string): boolean => model.existing.has(id as never);
  const out: Block[] = [...kmsResources(model, side, json, adopt)];
  const bucket = oneChange(model, 'bucket', side)!;
  out.push(block('resource', ['aws_s3_bucket', side], [provider(side), attr('bucket', bucket.bucket)]));
  adopt(has(bucket.id), `aws_s3_bucket.${side}`, side, bucket.bucket);
  for (const change of changesOf(model, 'ownership', side)) {
    out.push(settings('aws_s3_bucket_ownership_controls', side, [block('rule', [], [attr('object_ownership', change.after)])]));
    adopt(has(change.id), `aws_s3_bucket_ownership_controls.${side}`, side, change.bucket);
  }
  for (const change of changesOf(model, 'public-access-block', side)) {
    const { BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets } = change.after;
    out.push(
      settings('aws_s3_bucket_public_access_block', side, [
        attr('block_public_acls', BlockPublicAcls),
        attr('block_public_policy', BlockPublicPolicy),
        attr('ignore_public_acls', IgnorePublicAcls),
        attr('restrict_public_buckets', RestrictPublicBuckets),
      ]),
    );
    adopt(has(change.id), `aws_s3_bucket_public_access_block.${side}`, side, change.bucket);
  }
  for (const change of changesOf(model, 'encryption', side)) {
    out.push(settings('aws_s3_bucket_server_side_encryption_configuration', side, [encryptionRule(model, change)]));
    adopt(has(change.id), `aws_s3_bucket_server_side_encryption_configuration.${side}`, side, change.bucket);
  }
  for (const change of changesOf(model, 'versioning', side)) {
    out.push(settings('aws_s3_bucket_versioning', side, [block('versioning_configuration', [], [attr('status', change.after)])]));
    adopt(has(change.id), `aws_s3_bucket_versioning.${side}`, side, change.bucket);
  }
  if (side === 'source') out.push(...roleResources(model, json, adopt));
  for (const change of changesOf(model, 'bucket-policy', side)) {
    // S3 refuses a policy naming a role that does not exist yet: the destination's waits for the role.
    const after = side === 'destination' ? [attr('depends_on', [raw('aws_iam_role.replication')])] : [];
    out.push(
      block(
        'resource',
        ['aws_s3_bucket_policy', side],
        [provider(side), attr('bucket', bucketId(side)), attr('policy', json(change.document!)), ...after],
        ['The whole bucket policy: replicate-setup statements merged with any statements the bucket already had.'],
      ),
    );
    adopt(has(change.id), `aws_s3_bucket_policy.${side}`, side, change.bucket);
  }
  if (side === 'destination') out.push(...readerResources(model, json, adopt));
  if (side === 'source') out.push(...replicationResources(model, adopt), ...batchBucketResources(model, adopt), ...alertResources(model, json, adopt));
  return out;
}

const settings = (type: string, side: Side, body: BodyItem[]): Block =>
  block('resource', [type, side], [provider(side), attr('bucket', bucketId(side)), ...body]);

function encryptionRule(model: ExportModel, change: ChangeOf<'encryption'>): Block {
  const { algorithm, kmsKeyId, bucketKey } = change.after;
  const keyStandIn = model.keyStandIns[change.side];
  const key = kmsKeyId === undefined ? [] : [attr('kms_master_key_id', kmsKeyId === keyStandIn ? raw(`aws_kms_key.${change.side}.arn`) : kmsKeyId)];
  return block(
    'rule',
    [],
    [
      block('apply_server_side_encryption_by_default', [], [attr('sse_algorithm', algorithm), ...key]),
      ...(bucketKey === undefined ? [] : [attr('bucket_key_enabled', bucketKey)]),
    ],
  );
}

function kmsResources(model: ExportModel, side: Side, json: Json, adopt: Adopt): Block[] {
  const key = oneChange(model, 'kms-key', side);
  const keyPolicy = changesOf(model, 'kms-key-policy').find((change) => change.side === side);
  if (!key || !keyPolicy) return []; // no sse-kms, or an AWS managed key whose policy cannot change
  const liveArn = model.prepared.live.kms?.[side].arn;
  const out = [
    block(
      'resource',
      ['aws_kms_key', side],
      [provider(side), attr('description', key.description), attr('policy', json(keyPolicy.document))],
      ['The whole key policy: replicate-setup statements merged with what the key policy already says.'],
    ),
  ];
  adopt(!!liveArn && model.existing.has(key.id), `aws_kms_key.${side}`, side, liveArn?.split('/').pop() ?? '');
  if (key.alias.startsWith('alias/')) {
    out.push(block('resource', ['aws_kms_alias', side], [provider(side), attr('name', key.alias), attr('target_key_id', raw(`aws_kms_key.${side}.key_id`))]));
    adopt(!!liveArn && model.existing.has(key.id), `aws_kms_alias.${side}`, side, key.alias);
  }
  return out;
}

function roleResources(model: ExportModel, json: Json, adopt: Adopt): Block[] {
  const out: Block[] = [];
  for (const role of changesOf(model, 'role')) {
    out.push(
      block('resource', ['aws_iam_role', 'replication'], [provider('source'), attr('name', role.roleName), attr('assume_role_policy', json(role.trustPolicy))]),
    );
    adopt(model.existing.has(role.id), 'aws_iam_role.replication', 'source', role.roleName);
  }
  for (const policy of changesOf(model, 'role-policy')) {
    out.push(
      block(
        'resource',
        ['aws_iam_role_policy', 'replication'],
        [provider('source'), attr('name', policy.policyName), attr('role', raw('aws_iam_role.replication.id')), attr('policy', json(policy.document))],
      ),
    );
    adopt(model.existing.has(policy.id), 'aws_iam_role_policy.replication', 'source', `${policy.roleName}:${policy.policyName}`);
  }
  // The Batch Replication role; the job itself is a one-off action with no Terraform resource (`replicate-setup jobs`).
  for (const batch of changesOf(model, 'batch-role')) {
    out.push(
      block('resource', ['aws_iam_role', 'batch'], [provider('source'), attr('name', batch.roleName), attr('assume_role_policy', json(batch.trustPolicy))]),
      block(
        'resource',
        ['aws_iam_role_policy', 'batch'],
        [provider('source'), attr('name', batch.policyName), attr('role', raw('aws_iam_role.batch.id')), attr('policy', json(batch.document))],
      ),
    );
    adopt(model.existing.has(batch.id), 'aws_iam_role.batch', 'source', batch.roleName);
  }
  return out;
}

/** The Batch Replication manifest and report bucket, private, when the plan has one of its own. */
function batchBucketResources(model: ExportModel, adopt: Adopt): Block[] {
  return changesOf(model, 'batch-bucket').flatMap((change) => {
    adopt(model.existing.has(change.id), 'aws_s3_bucket.batch', 'source', change.bucket);
    adopt(model.existing.has(change.id), 'aws_s3_bucket_public_access_block.batch', 'source', change.bucket);
    const { BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets } = FULL_PUBLIC_ACCESS_BLOCK;
    return [
      block(
        'resource',
        ['aws_s3_bucket', 'batch'],
        [provider('source'), attr('bucket', change.bucket)],
        ['The Batch Replication manifest and completion report.'],
      ),
      block(
        'resource',
        ['aws_s3_bucket_public_access_block', 'batch'],
        [
          provider('source'),
          attr('bucket', raw('aws_s3_bucket.batch.id')),
          attr('block_public_acls', BlockPublicAcls!),
          attr('block_public_policy', BlockPublicPolicy!),
          attr('ignore_public_acls', IgnorePublicAcls!),
          attr('restrict_public_buckets', RestrictPublicBuckets!),
        ],
      ),
    ];
  });
}

function readerResources(model: ExportModel, json: Json, adopt: Adopt): Block[] {
  return changesOf(model, 'reader-policy').map((change) => {
    const type = change.principalKind === 'user' ? 'aws_iam_user_policy' : 'aws_iam_role_policy';
    const name = `reader_${terraformName(change.principalName)}`;
    adopt(model.existing.has(change.id), `${type}.${name}`, 'destination', `${change.principalName}:${change.policyName}`);
    return block(
      'resource',
      [type, name],
      [provider('destination'), attr('name', change.policyName), attr(change.principalKind, change.principalName), attr('policy', json(change.document))],
    );
  });
}

function replicationResources(model: ExportModel, adopt: Adopt): Block[] {
  return changesOf(model, 'replication').map((change) => {
    const configuration = withReferences(change.configuration, (text) => {
      const side = SIDES.find((s) => model.keyStandIns[s] === text);
      return side ? raw(`aws_kms_key.${side}.arn`) : undefined;
    }) as typeof change.configuration;
    adopt(model.existing.has(change.id), 'aws_s3_bucket_replication_configuration.source', 'source', change.bucket);
    const dependsOn = [
      'aws_s3_bucket_versioning.source',
      'aws_s3_bucket_versioning.destination',
      'aws_iam_role_policy.replication',
      ...(changesOf(model, 'bucket-policy', 'destination').length > 0 ? ['aws_s3_bucket_policy.destination'] : []),
    ];
    return block(
      'resource',
      ['aws_s3_bucket_replication_configuration', 'source'],
      [
        provider('source'),
        attr('bucket', bucketId('source')),
        attr('role', configuration.Role),
        ...configuration.Rules.map((rule) => nestedBlock('rule', rule)),
        attr('depends_on', dependsOn.map(raw)),
      ],
      ['The whole replication configuration: replicate-setup rules beside any rules the bucket already had.'],
    );
  });
}

/** `ReplicaKmsKeyID` → `replica_kms_key_id`: the provider's names for the S3 API's fields. */
export const snakeCase = (name: string): string =>
  name
    .replace(/ID$/, 'Id')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();

/** A rule (or part of one) as the provider's nested blocks: objects become blocks, values attributes; tag lists a map. */
function nestedBlock(type: string, value: ReplicationRule | object): Block {
  const attributes: BodyItem[] = [];
  const blocks: BodyItem[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (key === 'Tags' && Array.isArray(item)) {
      attributes.push(attr('tags', Object.fromEntries(item.map((tag: { Key: string; Value: string }) => [tag.Key, tag.Value]))));
    } else if (item && typeof item === 'object' && !('raw' in item)) {
      blocks.push(nestedBlock(snakeCase(key), item));
    } else {
      attributes.push(attr(snakeCase(key), item as Value));
    }
  }
  return block(type, [], [...attributes, ...blocks]);
}
