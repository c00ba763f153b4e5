import { type Operation, defineOperation as op } from './operation.js';

/**
 * The one catalogue of AWS operations the tool calls: each names its SDK command, the IAM actions the caller needs
 * and the resource those actions are granted on. Every SDK call goes through `send` (aws/send.ts) with one of these,
 * so error remedies, the plan's list of calls and the permissions a profile needs are all derived from here.
 * Resource templates read the request itself: `{Bucket}` is the request's Bucket, `{account}` the caller's account.
 */
const bucket = 'arn:aws:s3:::{Bucket}';
const object = 'arn:aws:s3:::{Bucket}/{Key}';
const role = 'arn:aws:iam::{account}:role/{RoleName}';
const user = 'arn:aws:iam::{account}:user/{UserName}';
const group = 'arn:aws:iam::{account}:group/{GroupName}';
const key = 'arn:aws:kms:{region}:{account}:key/{KeyId}';
const any = '*';

export const s3 = {
  ListBuckets: op('s3', 'ListBuckets', 'read', [['s3:ListAllMyBuckets', any]]),
  HeadBucket: op('s3', 'HeadBucket', 'read', [['s3:ListBucket', bucket]]),
  GetBucketLocation: op('s3', 'GetBucketLocation', 'read', [['s3:GetBucketLocation', bucket]]),
  CreateBucket: op('s3', 'CreateBucket', 'write', [['s3:CreateBucket', bucket]]),
  DeleteBucket: op('s3', 'DeleteBucket', 'write', [['s3:DeleteBucket', bucket]]),
  GetBucketVersioning: op('s3', 'GetBucketVersioning', 'read', [['s3:GetBucketVersioning', bucket]]),
  PutBucketVersioning: op('s3', 'PutBucketVersioning', 'write', [['s3:PutBucketVersioning', bucket]]),
  GetPublicAccessBlock: op('s3', 'GetPublicAccessBlock', 'read', [['s3:GetBucketPublicAccessBlock', bucket]]),
  PutPublicAccessBlock: op('s3', 'PutPublicAccessBlock', 'write', [['s3:PutBucketPublicAccessBlock', bucket]]),
  DeletePublicAccessBlock: op('s3', 'DeletePublicAccessBlock', 'write', [['s3:PutBucketPublicAccessBlock', bucket]]),
  GetBucketEncryption: op('s3', 'GetBucketEncryption', 'read', [['s3:GetEncryptionConfiguration', bucket]]),
  PutBucketEncryption: op('s3', 'PutBucketEncryption', 'write', [['s3:PutEncryptionConfiguration', bucket]]),
  DeleteBucketEncryption: op('s3', 'DeleteBucketEncryption', 'write', [['s3:PutEncryptionConfiguration', bucket]]),
  GetBucketOwnershipControls: op('s3', 'GetBucketOwnershipControls', 'read', [['s3:GetBucketOwnershipControls', bucket]]),
  PutBucketOwnershipControls: op('s3', 'PutBucketOwnershipControls', 'write', [['s3:PutBucketOwnershipControls', bucket]]),
  DeleteBucketOwnershipControls: op('s3', 'DeleteBucketOwnershipControls', 'write', [['s3:PutBucketOwnershipControls', bucket]]),
  GetBucketPolicy: op('s3', 'GetBucketPolicy', 'read', [['s3:GetBucketPolicy', bucket]]),
  PutBucketPolicy: op('s3', 'PutBucketPolicy', 'write', [['s3:PutBucketPolicy', bucket]]),
  DeleteBucketPolicy: op('s3', 'DeleteBucketPolicy', 'write', [['s3:DeleteBucketPolicy', bucket]]),
  GetBucketReplication: op('s3', 'GetBucketReplication', 'read', [['s3:GetReplicationConfiguration', bucket]]),
  // S3 checks that the caller may pass the configuration's role to it.
  PutBucketReplication: op('s3', 'PutBucketReplication', 'write', [
    ['s3:PutReplicationConfiguration', bucket],
    ['iam:PassRole', '{ReplicationConfiguration.Role}'],
  ]),
  DeleteBucketReplication: op('s3', 'DeleteBucketReplication', 'write', [['s3:PutReplicationConfiguration', bucket]]),
  GetBucketAcl: op('s3', 'GetBucketAcl', 'read', [['s3:GetBucketAcl', bucket]]),
  ListObjectsV2: op('s3', 'ListObjectsV2', 'read', [['s3:ListBucket', bucket]]),
  ListObjectVersions: op('s3', 'ListObjectVersions', 'read', [['s3:ListBucketVersions', bucket]]),
  PutObject: op('s3', 'PutObject', 'write', [['s3:PutObject', object]]),
  GetObject: op('s3', 'GetObject', 'read', [['s3:GetObject', object]]),
  // With a VersionId, S3 asks for the *Version actions instead.
  HeadObject: op('s3', 'HeadObject', 'read', [
    ['s3:GetObject', object],
    ['s3:GetObjectVersion', object],
  ]),
  GetObjectAcl: op('s3', 'GetObjectAcl', 'read', [
    ['s3:GetObjectAcl', object],
    ['s3:GetObjectVersionAcl', object],
  ]),
  DeleteObject: op('s3', 'DeleteObject', 'write', [
    ['s3:DeleteObject', object],
    ['s3:DeleteObjectVersion', object],
  ]),
  // Up to 1,000 keys a call; IAM checks each key as s3:DeleteObject(Version) on the bucket's objects.
  DeleteObjects: op('s3', 'DeleteObjects', 'write', [
    ['s3:DeleteObject', 'arn:aws:s3:::{Bucket}/*'],
    ['s3:DeleteObjectVersion', 'arn:aws:s3:::{Bucket}/*'],
  ]),
  GetBucketNotificationConfiguration: op('s3', 'GetBucketNotificationConfiguration', 'read', [['s3:GetBucketNotification', bucket]]),
  // Replaces the whole configuration: the tool writes the bucket's own entries back beside its one (plan/alert-notification.ts).
  PutBucketNotificationConfiguration: op('s3', 'PutBucketNotificationConfiguration', 'write', [['s3:PutBucketNotification', bucket]]),
} as const;

export const iam = {
  GetRole: op('iam', 'GetRole', 'read', [['iam:GetRole', role]]),
  // The tool tags what it creates, and tagging at creation needs its own permission.
  CreateRole: op('iam', 'CreateRole', 'write', [
    ['iam:CreateRole', role],
    ['iam:TagRole', role],
  ]),
  DeleteRole: op('iam', 'DeleteRole', 'write', [['iam:DeleteRole', role]]),
  UpdateAssumeRolePolicy: op('iam', 'UpdateAssumeRolePolicy', 'write', [['iam:UpdateAssumeRolePolicy', role]]),
  GetRolePolicy: op('iam', 'GetRolePolicy', 'read', [['iam:GetRolePolicy', role]]),
  PutRolePolicy: op('iam', 'PutRolePolicy', 'write', [['iam:PutRolePolicy', role]]),
  DeleteRolePolicy: op('iam', 'DeleteRolePolicy', 'write', [['iam:DeleteRolePolicy', role]]),
  ListRolePolicies: op('iam', 'ListRolePolicies', 'read', [['iam:ListRolePolicies', role]]),
  ListAttachedRolePolicies: op('iam', 'ListAttachedRolePolicies', 'read', [['iam:ListAttachedRolePolicies', role]]),
  GetUser: op('iam', 'GetUser', 'read', [['iam:GetUser', user]]),
  ListUsers: op('iam', 'ListUsers', 'read', [['iam:ListUsers', any]]),
  GetUserPolicy: op('iam', 'GetUserPolicy', 'read', [['iam:GetUserPolicy', user]]),
  PutUserPolicy: op('iam', 'PutUserPolicy', 'write', [['iam:PutUserPolicy', user]]),
  DeleteUserPolicy: op('iam', 'DeleteUserPolicy', 'write', [['iam:DeleteUserPolicy', user]]),
  ListUserPolicies: op('iam', 'ListUserPolicies', 'read', [['iam:ListUserPolicies', user]]),
  ListAttachedUserPolicies: op('iam', 'ListAttachedUserPolicies', 'read', [['iam:ListAttachedUserPolicies', user]]),
  ListGroupsForUser: op('iam', 'ListGroupsForUser', 'read', [['iam:ListGroupsForUser', user]]),
  ListGroupPolicies: op('iam', 'ListGroupPolicies', 'read', [['iam:ListGroupPolicies', group]]),
  ListAttachedGroupPolicies: op('iam', 'ListAttachedGroupPolicies', 'read', [['iam:ListAttachedGroupPolicies', group]]),
  GetGroupPolicy: op('iam', 'GetGroupPolicy', 'read', [['iam:GetGroupPolicy', group]]),
  GetPolicy: op('iam', 'GetPolicy', 'read', [['iam:GetPolicy', '{PolicyArn}']]),
  // The lock of a bucket's documents (engine/document-lock.ts): a managed policy whose name is taken or not.
  CreatePolicy: op('iam', 'CreatePolicy', 'write', [['iam:CreatePolicy', 'arn:aws:iam::{account}:policy/{PolicyName}']]),
  DeletePolicy: op('iam', 'DeletePolicy', 'write', [['iam:DeletePolicy', '{PolicyArn}']]),
  GetPolicyVersion: op('iam', 'GetPolicyVersion', 'read', [['iam:GetPolicyVersion', '{PolicyArn}']]),
  SimulatePrincipalPolicy: op('iam', 'SimulatePrincipalPolicy', 'read', [['iam:SimulatePrincipalPolicy', '{PolicySourceArn}']]),
} as const;

export const kms = {
  DescribeKey: op('kms', 'DescribeKey', 'read', [['kms:DescribeKey', key]]),
  GetKeyPolicy: op('kms', 'GetKeyPolicy', 'read', [['kms:GetKeyPolicy', key]]),
  PutKeyPolicy: op('kms', 'PutKeyPolicy', 'write', [['kms:PutKeyPolicy', key]]),
  // CreateKey has no key to scope it to yet: IAM grants it on "*" only.
  CreateKey: op('kms', 'CreateKey', 'write', [
    ['kms:CreateKey', any],
    ['kms:TagResource', any],
  ]),
  CreateAlias: op('kms', 'CreateAlias', 'write', [
    ['kms:CreateAlias', 'arn:aws:kms:{region}:{account}:{AliasName}'],
    ['kms:CreateAlias', 'arn:aws:kms:{region}:{account}:key/{TargetKeyId}'],
  ]),
  DeleteAlias: op('kms', 'DeleteAlias', 'write', [['kms:DeleteAlias', 'arn:aws:kms:{region}:{account}:{AliasName}']]),
  ScheduleKeyDeletion: op('kms', 'ScheduleKeyDeletion', 'write', [['kms:ScheduleKeyDeletion', key]]),
} as const;

/** S3 Batch Operations (S3 Control): the Batch Replication job of a setup's existing objects. */
const job = 'arn:aws:s3:{region}:{account}:job/{JobId}';
export const s3control = {
  // Creating a job passes the batch role to S3; tags at creation need s3:PutJobTagging.
  CreateJob: op('s3control', 'CreateJob', 'write', [
    ['s3:CreateJob', any],
    ['s3:PutJobTagging', any],
    ['iam:PassRole', '{RoleArn}'],
  ]),
  DescribeJob: op('s3control', 'DescribeJob', 'read', [['s3:DescribeJob', job]]),
  ListJobs: op('s3control', 'ListJobs', 'read', [['s3:ListJobs', any]]),
  UpdateJobStatus: op('s3control', 'UpdateJobStatus', 'write', [['s3:UpdateJobStatus', job]]),
} as const;

export const sts = {
  // Needs no permission (IAM cannot deny it), listed so every call the tool makes is here.
  GetCallerIdentity: op('sts', 'GetCallerIdentity', 'read', []),
} as const;

const topic = '{TopicArn}';
const alarm = 'arn:aws:cloudwatch:{region}:{account}:alarm:';

export const sns = {
  // The topic is tagged managed-by=replicate-setup at creation, which needs its own permission.
  CreateTopic: op('sns', 'CreateTopic', 'write', [
    ['sns:CreateTopic', 'arn:aws:sns:{region}:{account}:{Name}'],
    ['sns:TagResource', 'arn:aws:sns:{region}:{account}:{Name}'],
  ]),
  DeleteTopic: op('sns', 'DeleteTopic', 'write', [['sns:DeleteTopic', topic]]),
  GetTopicAttributes: op('sns', 'GetTopicAttributes', 'read', [['sns:GetTopicAttributes', topic]]),
  SetTopicAttributes: op('sns', 'SetTopicAttributes', 'write', [['sns:SetTopicAttributes', topic]]),
  Subscribe: op('sns', 'Subscribe', 'write', [['sns:Subscribe', topic]]),
  ListSubscriptionsByTopic: op('sns', 'ListSubscriptionsByTopic', 'read', [['sns:ListSubscriptionsByTopic', topic]]),
} as const;

export const cloudwatch = {
  PutMetricAlarm: op('cloudwatch', 'PutMetricAlarm', 'write', [['cloudwatch:PutMetricAlarm', `${alarm}{AlarmName}`]]),
  // One alarm a call, so the grant names it.
  DeleteAlarms: op('cloudwatch', 'DeleteAlarms', 'write', [['cloudwatch:DeleteAlarms', `${alarm}{AlarmNames.0}`]]),
  DescribeAlarms: op('cloudwatch', 'DescribeAlarms', 'read', [['cloudwatch:DescribeAlarms', `${alarm}{AlarmNamePrefix}*`]]),
  // Metric reads cannot be scoped to a resource.
  GetMetricData: op('cloudwatch', 'GetMetricData', 'read', [['cloudwatch:GetMetricData', any]]),
} as const;

/** Every operation, by id (`s3:PutBucketPolicy`): what the catalogue test and `permissions` look through. */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(
  [
    ...Object.values(s3),
    ...Object.values(iam),
    ...Object.values(kms),
    ...Object.values(sts),
    ...Object.values(s3control),
    ...Object.values(sns),
    ...Object.values(cloudwatch),
  ].map((operation: Operation) => [operation.id, operation]),
);
