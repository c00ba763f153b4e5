import * as CloudWatch from '@aws-sdk/client-cloudwatch';
import * as IAM from '@aws-sdk/client-iam';
import * as KMS from '@aws-sdk/client-kms';
import * as S3 from '@aws-sdk/client-s3';
import * as S3Control from '@aws-sdk/client-s3-control';
import * as SNS from '@aws-sdk/client-sns';
import * as STS from '@aws-sdk/client-sts';
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
  ListBuckets: op('s3', S3.ListBucketsCommand, 'read', [['s3:ListAllMyBuckets', any]]),
  HeadBucket: op('s3', S3.HeadBucketCommand, 'read', [['s3:ListBucket', bucket]]),
  GetBucketLocation: op('s3', S3.GetBucketLocationCommand, 'read', [['s3:GetBucketLocation', bucket]]),
  CreateBucket: op('s3', S3.CreateBucketCommand, 'write', [['s3:CreateBucket', bucket]]),
  DeleteBucket: op('s3', S3.DeleteBucketCommand, 'write', [['s3:DeleteBucket', bucket]]),
  GetBucketVersioning: op('s3', S3.GetBucketVersioningCommand, 'read', [['s3:GetBucketVersioning', bucket]]),
  PutBucketVersioning: op('s3', S3.PutBucketVersioningCommand, 'write', [['s3:PutBucketVersioning', bucket]]),
  GetPublicAccessBlock: op('s3', S3.GetPublicAccessBlockCommand, 'read', [['s3:GetBucketPublicAccessBlock', bucket]]),
  PutPublicAccessBlock: op('s3', S3.PutPublicAccessBlockCommand, 'write', [['s3:PutBucketPublicAccessBlock', bucket]]),
  DeletePublicAccessBlock: op('s3', S3.DeletePublicAccessBlockCommand, 'write', [['s3:PutBucketPublicAccessBlock', bucket]]),
  GetBucketEncryption: op('s3', S3.GetBucketEncryptionCommand, 'read', [['s3:GetEncryptionConfiguration', bucket]]),
  PutBucketEncryption: op('s3', S3.PutBucketEncryptionCommand, 'write', [['s3:PutEncryptionConfiguration', bucket]]),
  DeleteBucketEncryption: op('s3', S3.DeleteBucketEncryptionCommand, 'write', [['s3:PutEncryptionConfiguration', bucket]]),
  GetBucketOwnershipControls: op('s3', S3.GetBucketOwnershipControlsCommand, 'read', [['s3:GetBucketOwnershipControls', bucket]]),
  PutBucketOwnershipControls: op('s3', S3.PutBucketOwnershipControlsCommand, 'write', [['s3:PutBucketOwnershipControls', bucket]]),
  DeleteBucketOwnershipControls: op('s3', S3.DeleteBucketOwnershipControlsCommand, 'write', [['s3:PutBucketOwnershipControls', bucket]]),
  GetBucketPolicy: op('s3', S3.GetBucketPolicyCommand, 'read', [['s3:GetBucketPolicy', bucket]]),
  PutBucketPolicy: op('s3', S3.PutBucketPolicyCommand, 'write', [['s3:PutBucketPolicy', bucket]]),
  DeleteBucketPolicy: op('s3', S3.DeleteBucketPolicyCommand, 'write', [['s3:DeleteBucketPolicy', bucket]]),
  GetBucketReplication: op('s3', S3.GetBucketReplicationCommand, 'read', [['s3:GetReplicationConfiguration', bucket]]),
  // S3 checks that the caller may pass the configuration's role to it.
  PutBucketReplication: op('s3', S3.PutBucketReplicationCommand, 'write', [
    ['s3:PutReplicationConfiguration', bucket],
    ['iam:PassRole', '{ReplicationConfiguration.Role}'],
  ]),
  DeleteBucketReplication: op('s3', S3.DeleteBucketReplicationCommand, 'write', [['s3:PutReplicationConfiguration', bucket]]),
  GetBucketAcl: op('s3', S3.GetBucketAclCommand, 'read', [['s3:GetBucketAcl', bucket]]),
  ListObjectsV2: op('s3', S3.ListObjectsV2Command, 'read', [['s3:ListBucket', bucket]]),
  ListObjectVersions: op('s3', S3.ListObjectVersionsCommand, 'read', [['s3:ListBucketVersions', bucket]]),
  PutObject: op('s3', S3.PutObjectCommand, 'write', [['s3:PutObject', object]]),
  GetObject: op('s3', S3.GetObjectCommand, 'read', [['s3:GetObject', object]]),
  // With a VersionId, S3 asks for the *Version actions instead.
  HeadObject: op('s3', S3.HeadObjectCommand, 'read', [
    ['s3:GetObject', object],
    ['s3:GetObjectVersion', object],
  ]),
  GetObjectAcl: op('s3', S3.GetObjectAclCommand, 'read', [
    ['s3:GetObjectAcl', object],
    ['s3:GetObjectVersionAcl', object],
  ]),
  DeleteObject: op('s3', S3.DeleteObjectCommand, 'write', [
    ['s3:DeleteObject', object],
    ['s3:DeleteObjectVersion', object],
  ]),
  // Up to 1,000 keys a call; IAM checks each key as s3:DeleteObject(Version) on the bucket's objects.
  DeleteObjects: op('s3', S3.DeleteObjectsCommand, 'write', [
    ['s3:DeleteObject', 'arn:aws:s3:::{Bucket}/*'],
    ['s3:DeleteObjectVersion', 'arn:aws:s3:::{Bucket}/*'],
  ]),
  GetBucketNotificationConfiguration: op('s3', S3.GetBucketNotificationConfigurationCommand, 'read', [['s3:GetBucketNotification', bucket]]),
  // Replaces the whole configuration: the tool writes the bucket's own entries back beside its one (plan/alert-notification.ts).
  PutBucketNotificationConfiguration: op('s3', S3.PutBucketNotificationConfigurationCommand, 'write', [['s3:PutBucketNotification', bucket]]),
} as const;

export const iam = {
  GetRole: op('iam', IAM.GetRoleCommand, 'read', [['iam:GetRole', role]]),
  // The tool tags what it creates, and tagging at creation needs its own permission.
  CreateRole: op('iam', IAM.CreateRoleCommand, 'write', [
    ['iam:CreateRole', role],
    ['iam:TagRole', role],
  ]),
  DeleteRole: op('iam', IAM.DeleteRoleCommand, 'write', [['iam:DeleteRole', role]]),
  UpdateAssumeRolePolicy: op('iam', IAM.UpdateAssumeRolePolicyCommand, 'write', [['iam:UpdateAssumeRolePolicy', role]]),
  GetRolePolicy: op('iam', IAM.GetRolePolicyCommand, 'read', [['iam:GetRolePolicy', role]]),
  PutRolePolicy: op('iam', IAM.PutRolePolicyCommand, 'write', [['iam:PutRolePolicy', role]]),
  DeleteRolePolicy: op('iam', IAM.DeleteRolePolicyCommand, 'write', [['iam:DeleteRolePolicy', role]]),
  ListRolePolicies: op('iam', IAM.ListRolePoliciesCommand, 'read', [['iam:ListRolePolicies', role]]),
  ListAttachedRolePolicies: op('iam', IAM.ListAttachedRolePoliciesCommand, 'read', [['iam:ListAttachedRolePolicies', role]]),
  GetUser: op('iam', IAM.GetUserCommand, 'read', [['iam:GetUser', user]]),
  ListUsers: op('iam', IAM.ListUsersCommand, 'read', [['iam:ListUsers', any]]),
  GetUserPolicy: op('iam', IAM.GetUserPolicyCommand, 'read', [['iam:GetUserPolicy', user]]),
  PutUserPolicy: op('iam', IAM.PutUserPolicyCommand, 'write', [['iam:PutUserPolicy', user]]),
  DeleteUserPolicy: op('iam', IAM.DeleteUserPolicyCommand, 'write', [['iam:DeleteUserPolicy', user]]),
  ListUserPolicies: op('iam', IAM.ListUserPoliciesCommand, 'read', [['iam:ListUserPolicies', user]]),
  ListAttachedUserPolicies: op('iam', IAM.ListAttachedUserPoliciesCommand, 'read', [['iam:ListAttachedUserPolicies', user]]),
  ListGroupsForUser: op('iam', IAM.ListGroupsForUserCommand, 'read', [['iam:ListGroupsForUser', user]]),
  ListGroupPolicies: op('iam', IAM.ListGroupPoliciesCommand, 'read', [['iam:ListGroupPolicies', group]]),
  ListAttachedGroupPolicies: op('iam', IAM.ListAttachedGroupPoliciesCommand, 'read', [['iam:ListAttachedGroupPolicies', group]]),
  GetGroupPolicy: op('iam', IAM.GetGroupPolicyCommand, 'read', [['iam:GetGroupPolicy', group]]),
  GetPolicy: op('iam', IAM.GetPolicyCommand, 'read', [['iam:GetPolicy', '{PolicyArn}']]),
  // The lock of a bucket's documents (engine/document-lock.ts): a managed policy whose name is taken or not.
  CreatePolicy: op('iam', IAM.CreatePolicyCommand, 'write', [['iam:CreatePolicy', 'arn:aws:iam::{account}:policy/{PolicyName}']]),
  DeletePolicy: op('iam', IAM.DeletePolicyCommand, 'write', [['iam:DeletePolicy', '{PolicyArn}']]),
  GetPolicyVersion: op('iam', IAM.GetPolicyVersionCommand, 'read', [['iam:GetPolicyVersion', '{PolicyArn}']]),
  SimulatePrincipalPolicy: op('iam', IAM.SimulatePrincipalPolicyCommand, 'read', [['iam:SimulatePrincipalPolicy', '{PolicySourceArn}']]),
} as const;

export const kms = {
  DescribeKey: op('kms', KMS.DescribeKeyCommand, 'read', [['kms:DescribeKey', key]]),
  GetKeyPolicy: op('kms', KMS.GetKeyPolicyCommand, 'read', [['kms:GetKeyPolicy', key]]),
  PutKeyPolicy: op('kms', KMS.PutKeyPolicyCommand, 'write', [['kms:PutKeyPolicy', key]]),
  // CreateKey has no key to scope it to yet: IAM grants it on "*" only.
  CreateKey: op('kms', KMS.CreateKeyCommand, 'write', [
    ['kms:CreateKey', any],
    ['kms:TagResource', any],
  ]),
  CreateAlias: op('kms', KMS.CreateAliasCommand, 'write', [
    ['kms:CreateAlias', 'arn:aws:kms:{region}:{account}:{AliasName}'],
    ['kms:CreateAlias', 'arn:aws:kms:{region}:{account}:key/{TargetKeyId}'],
  ]),
  DeleteAlias: op('kms', KMS.DeleteAliasCommand, 'write', [['kms:DeleteAlias', 'arn:aws:kms:{region}:{account}:{AliasName}']]),
  ScheduleKeyDeletion: op('kms', KMS.ScheduleKeyDeletionCommand, 'write', [['kms:ScheduleKeyDeletion', key]]),
} as const;

/** S3 Batch Operations (S3 Control): the Batch Replication job of a setup's existing objects. */
const job = 'arn:aws:s3:{region}:{account}:job/{JobId}';
export const s3control = {
  // Creating a job passes the batch role to S3; tags at creation need s3:PutJobTagging.
  CreateJob: op('s3control', S3Control.CreateJobCommand, 'write', [
    ['s3:CreateJob', any],
    ['s3:PutJobTagging', any],
    ['iam:PassRole', '{RoleArn}'],
  ]),
  DescribeJob: op('s3control', S3Control.DescribeJobCommand, 'read', [['s3:DescribeJob', job]]),
  ListJobs: op('s3control', S3Control.ListJobsCommand, 'read', [['s3:ListJobs', any]]),
  UpdateJobStatus: op('s3control', S3Control.UpdateJobStatusCommand, 'write', [['s3:UpdateJobStatus', job]]),
} as const;

export const sts = {
  // Needs no permission (IAM cannot deny it), listed so every call the tool makes is here.
  GetCallerIdentity: op('sts', STS.GetCallerIdentityCommand, 'read', []),
} as const;

const topic = '{TopicArn}';
const alarm = 'arn:aws:cloudwatch:{region}:{account}:alarm:';

export const sns = {
  // The topic is tagged managed-by=replicate-setup at creation, which needs its own permission.
  CreateTopic: op('sns', SNS.CreateTopicCommand, 'write', [
    ['sns:CreateTopic', 'arn:aws:sns:{region}:{account}:{Name}'],
    ['sns:TagResource', 'arn:aws:sns:{region}:{account}:{Name}'],
  ]),
  DeleteTopic: op('sns', SNS.DeleteTopicCommand, 'write', [['sns:DeleteTopic', topic]]),
  GetTopicAttributes: op('sns', SNS.GetTopicAttributesCommand, 'read', [['sns:GetTopicAttributes', topic]]),
  SetTopicAttributes: op('sns', SNS.SetTopicAttributesCommand, 'write', [['sns:SetTopicAttributes', topic]]),
  Subscribe: op('sns', SNS.SubscribeCommand, 'write', [['sns:Subscribe', topic]]),
  ListSubscriptionsByTopic: op('sns', SNS.ListSubscriptionsByTopicCommand, 'read', [['sns:ListSubscriptionsByTopic', topic]]),
} as const;

export const cloudwatch = {
  PutMetricAlarm: op('cloudwatch', CloudWatch.PutMetricAlarmCommand, 'write', [['cloudwatch:PutMetricAlarm', `${alarm}{AlarmName}`]]),
  // One alarm a call, so the grant names it.
  DeleteAlarms: op('cloudwatch', CloudWatch.DeleteAlarmsCommand, 'write', [['cloudwatch:DeleteAlarms', `${alarm}{AlarmNames.0}`]]),
  DescribeAlarms: op('cloudwatch', CloudWatch.DescribeAlarmsCommand, 'read', [['cloudwatch:DescribeAlarms', `${alarm}{AlarmNamePrefix}*`]]),
  // Metric reads cannot be scoped to a resource.
  GetMetricData: op('cloudwatch', CloudWatch.GetMetricDataCommand, 'read', [['cloudwatch:GetMetricData', any]]),
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
