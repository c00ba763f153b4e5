import type { InputProblem } from '../errors.js';
import { problemAt, type RawOptions } from './options.js';
import type { AlertsInput } from './types.js';

/** An address SNS will take for an email subscription: one @, a dotted domain, no spaces. Deliverability is SNS's to find out. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** arn:aws:sns:REGION:ACCOUNT:NAME, the name as SNS allows it (letters, digits, - and _, up to 256; .fifo for FIFO). */
const TOPIC_ARN = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;

/** The parts of a topic ARN, or undefined when it is not one. */
export function parseTopicArn(arn: string): { region: string; account: string; name: string } | undefined {
  const match = TOPIC_ARN.exec(arn);
  return match ? { region: match[1]!, account: match[2]!, name: match[3]! } : undefined;
}

/** Problems with --alert-email and --alert-topic, each naming its flag and what is allowed. */
export function alertProblems(raw: RawOptions, sourceRegion: string | undefined): InputProblem[] {
  const problems: InputProblem[] = [];
  const emails = raw.alertEmail ?? [];
  for (const email of emails) {
    if (!EMAIL.test(email)) problems.push(problemAt('alertEmail', `"${email}" is not an email address (name@example.com)`));
  }
  if (new Set(emails).size !== emails.length) problems.push(problemAt('alertEmail', 'lists the same address twice'));
  const topic = raw.alertTopic;
  if (topic !== undefined) {
    const parts = parseTopicArn(topic);
    if (!parts) problems.push(problemAt('alertTopic', `"${topic}" is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`));
    else if (parts.name.endsWith('.fifo'))
      problems.push(problemAt('alertTopic', `"${topic}" is a FIFO topic: S3 event notifications and CloudWatch alarms can only publish to standard topics`));
    else if (sourceRegion !== undefined && parts.region !== sourceRegion)
      problems.push(
        problemAt(
          'alertTopic',
          `"${topic}" is in ${parts.region}: S3 notifies only a topic in the source bucket's region (${sourceRegion}); give a topic there, or leave the flag out to have one created`,
        ),
      );
  }
  return problems;
}

/** The alerts part of a SetupInput: present when either flag is given. */
export function alertsOf(raw: RawOptions): { alerts?: AlertsInput } {
  const emails = raw.alertEmail ?? [];
  if (emails.length === 0 && raw.alertTopic === undefined) return {};
  return { alerts: { emails, ...(raw.alertTopic ? { topicArn: raw.alertTopic } : {}) } };
}
