import type { ReplicationRule } from '@aws-sdk/client-s3';
import { Document, isMap, isScalar } from 'yaml';
import type { ChangeOf, Side } from '../plan/changes.js';
import { FULL_PUBLIC_ACCESS_BLOCK } from '../plan/documents.js';
import { ALERTS_TOPIC_POLICY, alertResources, NOTIFICATION_COMMENT, notificationConfiguration, pascal } from './cloudformation-alerts.js';
import { changesOf, type ExportModel, oneChange, SIDES, withReferences } from './model.js';

/**
 * The setup as two CloudFormation templates, one per account (a stack cannot span accounts). Every document is the
 * plan's; the other account's new KMS key is a parameter filled from that stack's output. Written with the `yaml`
 * package's Document API, which keeps comments, so the notes sit beside what they explain.
 */

type Template = Record<string, unknown>;
interface TemplateFile {
  side: Side;
  template: Template;
  /** Comments above resources, by logical id. */
  comments: Record<string, string>;
  /** Logical ids of resources that exist live: to be imported, never created. */
  imports: { logicalId: string; type: string; identifier: Record<string, string> }[];
}

const logical = (side: Side, what: string): string => `${pascal(side)}${what}`;
const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };
export const DESTINATION_READY = 'DestinationReady';

const WHOLE_POLICY = 'The whole bucket policy: replicate-setup statements merged with any statements the bucket already had.';
const WHOLE_REPLICATION = 'The whole replication configuration: replicate-setup rules beside any rules the bucket already had.';

/** Both templates, the destination's first. */
export function cloudFormationTemplates(model: ExportModel): TemplateFile[] {
  return [template(model, 'destination'), template(model, 'source')];
}

function template(model: ExportModel, side: Side): TemplateFile {
  const { input, accounts } = model.prepared;
  const other: Side = side === 'source' ? 'destination' : 'source';
  const parameters: Template = {};
  const resources: Template = {};
  const outputs: Template = {};
  const comments: Record<string, string> = {};
  const imports: TemplateFile['imports'] = [];
  const references = (value: unknown): unknown =>
    withReferences(value, (text) => {
      if (text === model.keyStandIns[side]) return { 'Fn::GetAtt': [logical(side, 'KmsKey'), 'Arn'] };
      if (text !== model.keyStandIns[other]) return undefined;
      parameters[logical(other, 'KmsKeyArn')] = { Type: 'String', Description: `ARN of the ${other} bucket's KMS key: the ${other} stack's output` };
      return { Ref: logical(other, 'KmsKeyArn') };
    });
  const add = (logicalId: string, exists: boolean, resource: Template, identifier?: Record<string, string>): void => {
    resources[logicalId] = { ...resource, ...(exists ? RETAIN : {}) };
    if (exists && identifier) imports.push({ logicalId, type: String(resource.Type), identifier });
  };
  const has = (id: string): boolean => model.existing.has(id as never);

  const key = oneChange(model, 'kms-key', side);
  const keyPolicy = changesOf(model, 'kms-key-policy').find((change) => change.side === side);
  if (key && keyPolicy) {
    const liveArn = model.prepared.live.kms?.[side].arn;
    const keyId = logical(side, 'KmsKey');
    add(
      keyId,
      has(key.id),
      {
        Type: 'AWS::KMS::Key',
        // The key policy names the replication role: KMS refuses a principal that does not exist yet.
        ...(side === 'source' ? { DependsOn: 'ReplicationRole' } : {}),
        Properties: { Description: key.description, KeyPolicy: references(keyPolicy.document) },
      },
      liveArn ? { KeyId: liveArn.split('/').pop()! } : undefined,
    );
    comments[keyId] = 'The whole key policy: replicate-setup statements merged with what the key policy already says.';
    if (key.alias.startsWith('alias/')) {
      add(logical(side, 'KmsKeyAlias'), has(key.id), { Type: 'AWS::KMS::Alias', Properties: { AliasName: key.alias, TargetKeyId: { Ref: keyId } } });
    }
    outputs[logical(side, 'KmsKeyArn')] = {
      Description: `Give it to the ${other} stack as its ${logical(side, 'KmsKeyArn')} parameter`,
      Value: { 'Fn::GetAtt': [keyId, 'Arn'] },
    };
  }

  if (side === 'source') {
    for (const role of changesOf(model, 'role')) {
      add(
        'ReplicationRole',
        has(role.id),
        { Type: 'AWS::IAM::Role', Properties: { RoleName: role.roleName, AssumeRolePolicyDocument: role.trustPolicy } },
        {
          RoleName: role.roleName,
        },
      );
      outputs.ReplicationRoleArn = { Value: { 'Fn::GetAtt': ['ReplicationRole', 'Arn'] } };
    }
    for (const policy of changesOf(model, 'role-policy')) {
      add('ReplicationRolePolicy', has(policy.id), {
        Type: 'AWS::IAM::RolePolicy',
        // It names the destination's key when that is new: added with the replication configuration (step 3).
        Condition: 'DestinationIsReady',
        Properties: { RoleName: { Ref: 'ReplicationRole' }, PolicyName: policy.policyName, PolicyDocument: references(policy.document) },
      });
    }
    // The Batch Replication role, its policy inline; the job is a one-off action with no CloudFormation resource.
    for (const batch of changesOf(model, 'batch-role')) {
      add(
        'BatchReplicationRole',
        has(batch.id),
        {
          Type: 'AWS::IAM::Role',
          Properties: {
            RoleName: batch.roleName,
            AssumeRolePolicyDocument: batch.trustPolicy,
            Policies: [{ PolicyName: batch.policyName, PolicyDocument: batch.document }],
          },
        },
        { RoleName: batch.roleName },
      );
    }
    parameters[DESTINATION_READY] = {
      Type: 'String',
      AllowedValues: ['false', 'true'],
      Default: 'false',
      Description: 'true once the destination stack is deployed: adds the replication configuration and the role policy',
    };
  }

  const bucket = oneChange(model, 'bucket', side)!;
  const bucketId = logical(side, 'Bucket');
  const replication = side === 'source' ? oneChange(model, 'replication') : undefined;
  const notification = side === 'source' ? notificationConfiguration(model) : undefined;
  add(
    bucketId,
    has(bucket.id),
    {
      Type: 'AWS::S3::Bucket',
      // S3 checks that it may publish to the alerts topic when the notification configuration is written.
      ...(notification ? { DependsOn: ALERTS_TOPIC_POLICY } : {}),
      Properties: {
        ...(references(bucketProperties(model, side, replication)) as Template),
        ...(notification ? { NotificationConfiguration: notification } : {}),
      },
    },
    { BucketName: bucket.bucket },
  );
  comments[bucketId] = [replication ? WHOLE_REPLICATION : '', notification ? NOTIFICATION_COMMENT : ''].filter(Boolean).join('\n ');
  if (!comments[bucketId]) delete comments[bucketId];
  if (side === 'source') {
    alertResources(model, add, comments);
    for (const batch of changesOf(model, 'batch-bucket')) {
      add(
        'BatchReportsBucket',
        has(batch.id),
        { Type: 'AWS::S3::Bucket', Properties: { BucketName: batch.bucket, PublicAccessBlockConfiguration: { ...FULL_PUBLIC_ACCESS_BLOCK } } },
        { BucketName: batch.bucket },
      );
      comments.BatchReportsBucket = 'The Batch Replication manifest and completion report, private.';
    }
  }

  for (const policy of changesOf(model, 'bucket-policy', side)) {
    const policyId = logical(side, 'BucketPolicy');
    add(
      policyId,
      has(policy.id),
      { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: bucketId }, PolicyDocument: references(policy.document) } },
      {
        Bucket: policy.bucket,
      },
    );
    comments[policyId] = WHOLE_POLICY;
  }

  if (side === 'destination') {
    for (const reader of changesOf(model, 'reader-policy')) {
      const type = reader.principalKind === 'user' ? 'AWS::IAM::UserPolicy' : 'AWS::IAM::RolePolicy';
      const principal = reader.principalKind === 'user' ? 'UserName' : 'RoleName';
      add(
        `ReaderPolicy${pascal(reader.principalName)}`,
        has(reader.id),
        { Type: type, Properties: { [principal]: reader.principalName, PolicyName: reader.policyName, PolicyDocument: references(reader.document) } },
        { [principal]: reader.principalName, PolicyName: reader.policyName },
      );
    }
  }

  const description = `replicate-setup: ${side} side (account ${accounts[side]}, ${input[side].region}) of ${input.source.bucket} -> ${input.destination.bucket}`;
  const conditions = side === 'source' ? { DestinationIsReady: { 'Fn::Equals': [{ Ref: DESTINATION_READY }, 'true'] } } : undefined;
  return {
    side,
    template: {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: description,
      ...(Object.keys(parameters).length > 0 ? { Parameters: parameters } : {}),
      ...(conditions ? { Conditions: conditions } : {}),
      Resources: resources,
      ...(Object.keys(outputs).length > 0 ? { Outputs: outputs } : {}),
    },
    comments,
    imports,
  };
}

function bucketProperties(model: ExportModel, side: Side, replication: ChangeOf<'replication'> | undefined): Template {
  const bucket = oneChange(model, 'bucket', side)!;
  const properties: Template = { BucketName: bucket.bucket };
  const ownership = oneChange(model, 'ownership', side);
  if (ownership) properties.OwnershipControls = { Rules: [{ ObjectOwnership: ownership.after }] };
  const encryption = oneChange(model, 'encryption', side);
  if (encryption) {
    const { algorithm, kmsKeyId, bucketKey } = encryption.after;
    const byDefault = { SSEAlgorithm: algorithm, ...(kmsKeyId === undefined ? {} : { KMSMasterKeyID: kmsKeyId }) };
    properties.BucketEncryption = {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: byDefault, ...(bucketKey === undefined ? {} : { BucketKeyEnabled: bucketKey }) }],
    };
  }
  const publicAccessBlock = oneChange(model, 'public-access-block', side);
  if (publicAccessBlock) properties.PublicAccessBlockConfiguration = { ...publicAccessBlock.after };
  const versioning = oneChange(model, 'versioning', side);
  if (versioning) properties.VersioningConfiguration = { Status: versioning.after };
  if (replication) {
    const configuration = { Role: replication.configuration.Role, Rules: replication.configuration.Rules.map(cloudFormationRule) };
    properties.ReplicationConfiguration = { 'Fn::If': ['DestinationIsReady', configuration, { Ref: 'AWS::NoValue' }] };
  }
  return properties;
}

/** A rule as AWS::S3::Bucket writes it: the S3 API's fields, with CloudFormation's names where they differ. */
function cloudFormationRule(rule: ReplicationRule): Template {
  const { ID, Filter, ExistingObjectReplication, ...rest } = rule;
  const out: Template = { ...(ID === undefined ? {} : { Id: ID }), ...rest };
  if (Filter) {
    const { Tag, And, ...filter } = Filter;
    out.Filter = {
      ...filter,
      ...(Tag ? { TagFilter: Tag } : {}),
      ...(And ? { And: { ...(And.Prefix === undefined ? {} : { Prefix: And.Prefix }), ...(And.Tags ? { TagFilters: And.Tags } : {}) } } : {}),
    };
  }
  // CloudFormation has no ExistingObjectReplication; S3 reports it Disabled on rules that never asked for it.
  if (ExistingObjectReplication && ExistingObjectReplication.Status !== 'Disabled') out.ExistingObjectReplication = ExistingObjectReplication;
  return out;
}

/** One template as YAML, its comments above the resources they explain. */
export function templateYaml(file: TemplateFile, header: string[]): string {
  // YAML 1.1 rules for quoting, as CloudFormation reads YAML: `2012-10-17`, `yes` or `on` stay strings. An object
  // used twice (a Ref shared by several resources) is written out each time: CloudFormation rejects anchors and aliases.
  const doc = new Document(file.template, { version: '1.1', aliasDuplicateObjects: false });
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  const resources = doc.get('Resources');
  if (isMap(resources)) {
    for (const pair of resources.items) {
      const id = isScalar(pair.key) ? String(pair.key.value) : '';
      const comment = file.comments[id];
      if (comment && isScalar(pair.key)) pair.key.commentBefore = ` ${comment}`;
    }
  }
  return doc.toString({ lineWidth: 0, directives: false });
}

export { SIDES };
