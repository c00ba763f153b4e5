// Turns `replicate-setup plan --json` into the files and names the AWS CLI script (side B) uses, so both
// sides write the very same documents. Refuses a plan the script does not cover step for step: a
// comparison with a script that does less (or more) than the tool would not be fair.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The plan steps aws-cli-setup.sh performs, one AWS CLI call each. */
export const SCRIPTED_STEPS = [
  'source-bucket',
  'source-public-access-block',
  'source-encryption',
  'source-versioning',
  'destination-bucket',
  'destination-public-access-block',
  'destination-encryption',
  'destination-ownership',
  'destination-versioning',
  'replication-role',
  'replication-role-policy',
  'destination-bucket-policy',
  'replication-configuration',
  'source-bucket-policy',
  'reader-policy',
];

/** PutBucketEncryption's body, built the way src/aws/s3-bucket.ts putEncryption builds it. */
function encryptionConfiguration(after) {
  return {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: after.algorithm,
          ...(after.kmsKeyId ? { KMSMasterKeyID: after.kmsKeyId } : {}),
        },
        ...(after.bucketKey !== undefined ? { BucketKeyEnabled: after.bucketKey } : {}),
      },
    ],
  };
}

/** The document a step writes, as the AWS CLI takes it from a file (undefined: the step needs none). */
function documentOf(step) {
  switch (step.kind) {
    case 'public-access-block':
      return step.after;
    case 'encryption':
      return encryptionConfiguration(step.after);
    case 'ownership':
      return { Rules: [{ ObjectOwnership: step.after }] };
    case 'role':
      return step.trustPolicy;
    case 'role-policy':
    case 'bucket-policy':
    case 'reader-policy':
      return step.document;
    case 'replication':
      return step.configuration;
    default:
      return undefined;
  }
}

/**
 * Writes one file per document into `dir` and returns the environment aws-cli-setup.sh needs.
 * Throws when the plan is not exactly the steps the script performs, all of them creations.
 */
export async function writeScriptInputs(plan, dir) {
  const steps = plan.steps ?? [];
  const stepKey = (step) => (step.kind === 'reader-policy' ? 'reader-policy' : step.id);
  const planned = steps.map(stepKey);
  const missing = SCRIPTED_STEPS.filter((id) => !planned.includes(id));
  const extra = planned.filter((id) => !SCRIPTED_STEPS.includes(id));
  const notCreate = steps.filter((step) => step.action !== 'create').map((step) => `${step.id} (${step.action})`);
  const readers = steps.filter((step) => step.kind === 'reader-policy');
  const notUser = readers.filter((step) => step.principalKind !== 'user').map((step) => step.principalName);
  if (missing.length > 0 || extra.length > 0 || notCreate.length > 0 || readers.length !== 1 || notUser.length > 0) {
    throw new Error(
      "the tool's plan no longer matches scripts/bench/aws-cli-setup.sh, so side B would not do the same work: " +
        [
          missing.length > 0 ? `not planned: ${missing.join(', ')}` : '',
          extra.length > 0 ? `not scripted: ${extra.join(', ')}` : '',
          notCreate.length > 0 ? `not a creation: ${notCreate.join(', ')}` : '',
          readers.length !== 1 ? `${readers.length} reader policies (the script writes one)` : '',
          notUser.length > 0 ? `readers that are not IAM users: ${notUser.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ') +
        '. Update the script and documents.js together.',
    );
  }

  await mkdir(dir, { recursive: true });
  for (const step of steps) {
    const document = documentOf(step);
    if (document !== undefined) await writeFile(join(dir, `${stepKey(step)}.json`), JSON.stringify(document));
  }
  const byId = (id) => steps.find((step) => step.id === id);
  const reader = readers[0];
  return {
    DOCS: dir,
    SOURCE_BUCKET: byId('source-bucket').bucket,
    SOURCE_REGION: byId('source-bucket').region,
    DEST_BUCKET: byId('destination-bucket').bucket,
    DEST_REGION: byId('destination-bucket').region,
    ROLE_NAME: byId('replication-role').roleName,
    ROLE_POLICY_NAME: byId('replication-role-policy').policyName,
    READER: reader.principalName,
    READER_POLICY_NAME: reader.policyName,
  };
}
