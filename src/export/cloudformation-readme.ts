import type { Side } from '../plan/changes.js';
import type { cloudFormationTemplates } from './cloudformation.js';
import { DESTINATION_READY } from './cloudformation.js';
import { changesOf, type ExportModel } from './model.js';

type Templates = ReturnType<typeof cloudFormationTemplates>;

export const templateFileName = (side: Side): string => `${side}.template.yaml`;
export const stackName = (model: ExportModel, side: Side): string =>
  `replicate-setup-${model.prepared.input.source.bucket}-to-${model.prepared.input.destination.bucket}-${side}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128);

/** Only with alerts: what a person must do, and what the template cannot express. */
function alertsSection(model: ExportModel): string[] {
  const subscriptions = changesOf(model, 'sns-subscription');
  if (changesOf(model, 'sns-topic').length === 0) return [];
  return [
    '## Failure alerts',
    '',
    ...subscriptions.map((s) => `- AWS emails ${s.endpoint} a confirmation link: no alert reaches it until the link is followed.`),
    "- The source bucket's NotificationConfiguration is its whole notification configuration: the other notifications it had are in it too.",
    '  CloudFormation writes entries without an Id, so `replicate-setup plan` no longer recognises the alerts entry as its own afterwards.',
    '',
  ];
}

/**
 * The deploy order follows the plan's dependencies across the two accounts: S3 and KMS refuse a policy naming a role
 * that does not exist yet, and replication needs the destination's versioning and policy. So the source stack goes
 * first without replication, then the destination stack, then the source stack again with it.
 */
export function cloudFormationReadme(model: ExportModel, templates: Templates): string {
  const { input } = model.prepared;
  const deploy = (side: Side, overrides: string[]): string =>
    [
      `aws cloudformation deploy --profile ${input[side].profile} --region ${input[side].region} \\`,
      `  --stack-name ${stackName(model, side)} --template-file ${templateFileName(side)} \\`,
      `  --capabilities CAPABILITY_NAMED_IAM${overrides.length > 0 ? ` \\\n  --parameter-overrides ${overrides.join(' ')}` : ''}`,
    ].join('\n');
  const output = (side: Side, name: string): string =>
    `$(aws cloudformation describe-stacks --profile ${input[side].profile} --region ${input[side].region} --stack-name ${stackName(model, side)} --query "Stacks[0].Outputs[?OutputKey=='${name}'].OutputValue" --output text)`;
  const parameters = (side: Side): string[] => Object.keys((templates.find((t) => t.side === side)!.template.Parameters ?? {}) as object);
  const keyOverride = (side: Side, other: Side): string[] =>
    parameters(side)
      .filter((name) => name.endsWith('KmsKeyArn'))
      .map((name) => `${name}=${output(other, name)}`);
  const imports = templates.flatMap((t) =>
    t.imports.map(
      (i) =>
        `- ${templateFileName(t.side)}: \`${i.logicalId}\` (${i.type}), identifier ${Object.entries(i.identifier)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
    ),
  );
  return [
    `# ${input.source.bucket} → ${input.destination.bucket} as CloudFormation`,
    '',
    'Written by `replicate-setup export --format cloudformation` from the same plan `replicate-setup plan` shows.',
    `\`${templateFileName('destination')}\` is the destination account's (${model.prepared.accounts.destination}, profile ${input.destination.profile}),`,
    `\`${templateFileName('source')}\` the source account's (${model.prepared.accounts.source}, profile ${input.source.profile}).`,
    'A bucket policy and a replication configuration are each one document: the templates hold the whole merged document,',
    "other people's statements and rules included, so deploying them drops nobody's.",
    '',
    '## Deploy order',
    '',
    'S3 and KMS refuse a policy that names a role which does not exist yet, and replication needs the destination ready,',
    `so the source stack is deployed twice: first without replication (\`${DESTINATION_READY}=false\`), last with it.`,
    '',
    '```sh',
    '# 1. source account: buckets, role (and key), no replication yet',
    deploy('source', [`${DESTINATION_READY}=false`]),
    "# 2. destination account: bucket, its policy naming the role, the readers' policies (and key)",
    deploy('destination', keyOverride('destination', 'source')),
    '# 3. source account again: the role policy and the replication configuration',
    deploy('source', [`${DESTINATION_READY}=true`, ...keyOverride('source', 'destination')]),
    '```',
    '',
    ...alertsSection(model),
    '## Resources that already exist',
    '',
    ...(imports.length === 0
      ? ['None: every resource is created by the stacks.']
      : [
          'These exist already and carry `DeletionPolicy: Retain`. Bring each into its stack with a resource import',
          '(console: Stack actions → Import resources into stack, or `aws cloudformation create-change-set',
          '--change-set-type IMPORT --resources-to-import ...`) before deploying: never let a stack create them a second time.',
          '',
          ...imports,
        ]),
    '',
  ].join('\n');
}
