#!/usr/bin/env bash
# Side B of the benchmark: the walkthrough's setup scripted with the AWS CLI, one call per step, in the
# order a person would type them. Every JSON document is a file the benchmark took from
# `replicate-setup plan --json`, so both sides write exactly the same thing.
#
# Environment (all required): AWS_CLI (path of the aws executable), ENDPOINT_URL, DOCS (folder of the
# documents), SOURCE_PROFILE, SOURCE_REGION, SOURCE_BUCKET, DEST_PROFILE, DEST_REGION, DEST_BUCKET,
# ROLE_NAME, ROLE_POLICY_NAME, READER, READER_POLICY_NAME; AWS_CONFIG_FILE and
# AWS_SHARED_CREDENTIALS_FILE point at the two profiles (static keys: the CLI would send a role
# profile's AssumeRole to the real STS whatever --endpoint-url says).
set -euo pipefail
export AWS_PAGER=""

src() { "$AWS_CLI" --profile "$SOURCE_PROFILE" --endpoint-url "$ENDPOINT_URL" "$@" >/dev/null; }
dst() { "$AWS_CLI" --profile "$DEST_PROFILE" --endpoint-url "$ENDPOINT_URL" "$@" >/dev/null; }

# Step 1: the source bucket in Singapore, private, encrypted, versioned (replication needs versioning).
src s3api create-bucket --bucket "$SOURCE_BUCKET" --create-bucket-configuration "LocationConstraint=$SOURCE_REGION"
src s3api put-public-access-block --bucket "$SOURCE_BUCKET" --public-access-block-configuration "file://$DOCS/source-public-access-block.json"
src s3api put-bucket-encryption --bucket "$SOURCE_BUCKET" --server-side-encryption-configuration "file://$DOCS/source-encryption.json"
src s3api put-bucket-versioning --bucket "$SOURCE_BUCKET" --versioning-configuration Status=Enabled

# Step 2: the destination bucket in Sydney, the same, and the bucket owner owns the replicas.
dst s3api create-bucket --bucket "$DEST_BUCKET" --create-bucket-configuration "LocationConstraint=$DEST_REGION"
dst s3api put-public-access-block --bucket "$DEST_BUCKET" --public-access-block-configuration "file://$DOCS/destination-public-access-block.json"
dst s3api put-bucket-encryption --bucket "$DEST_BUCKET" --server-side-encryption-configuration "file://$DOCS/destination-encryption.json"
dst s3api put-bucket-ownership-controls --bucket "$DEST_BUCKET" --ownership-controls "file://$DOCS/destination-ownership.json"
dst s3api put-bucket-versioning --bucket "$DEST_BUCKET" --versioning-configuration Status=Enabled

# Step 3: the replication role in the partner's account, and what it may do.
src iam create-role --role-name "$ROLE_NAME" --assume-role-policy-document "file://$DOCS/replication-role.json" \
  --description 'S3 replication role created by replicate-setup' --tags Key=managed-by,Value=replicate-setup
src iam put-role-policy --role-name "$ROLE_NAME" --policy-name "$ROLE_POLICY_NAME" --policy-document "file://$DOCS/replication-role-policy.json"

# Step 4: the destination lets the role write replicas; the source replicates to it.
dst s3api put-bucket-policy --bucket "$DEST_BUCKET" --policy "file://$DOCS/destination-bucket-policy.json"
src s3api put-bucket-replication --bucket "$SOURCE_BUCKET" --replication-configuration "file://$DOCS/replication-configuration.json"

# Step 5: the authorised user may read the source bucket: its policy, and the user's own identity policy.
src s3api put-bucket-policy --bucket "$SOURCE_BUCKET" --policy "file://$DOCS/source-bucket-policy.json"
dst iam put-user-policy --user-name "$READER" --policy-name "$READER_POLICY_NAME" --policy-document "file://$DOCS/reader-policy.json"
