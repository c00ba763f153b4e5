import { IAMClient, type PolicyEvaluationDecisionType } from '@aws-sdk/client-iam';
import * as ops from '../aws/catalogue.js';
import { errorName, httpStatus, isErrorNamed, translateAwsError } from '../aws/errors.js';
import { send } from '../aws/send.js';
import { exportPrefix } from '../plan/documents.js';
import { bucketArn, type PrincipalRef, principalRef } from '../plan/names.js';
import { type Check, fail, pass, skip, type VerifyContext, warn } from './types.js';

interface Subject {
  user: string;
  ref: PrincipalRef;
  expect: 'allowed' | 'denied';
}

const idOf = (s: Subject): string => `simulate.${s.expect === 'allowed' ? 'reader' : 'denied'}:${s.user}`;

/**
 * Asks AWS's own evaluator (iam:SimulatePrincipalPolicy, with the source bucket policy as the resource policy and the
 * source account as its owner) whether each authorised user may list and read the source bucket and each
 * --expect-denied principal may not. Endpoints that do not implement the call (moto answers HTTP 500) get skip.
 */
export async function simulateChecks(vc: VerifyContext): Promise<Check[]> {
  const { input, accounts, live } = vc.prepared;
  const subjects: Subject[] = [
    ...input.authorizedUsers.map((user) => ({ user, ref: principalRef(user, accounts.destination), expect: 'allowed' as const })),
    ...vc.options.expectDenied.map((user) => ({ user, ref: principalRef(user, accounts.destination), expect: 'denied' as const })),
  ];
  if (subjects.length === 0) return [];
  if (live.source.ownership !== 'ours') return subjects.map((s) => skip(idOf(s), `not checked: ${input.source.bucket} does not exist`));
  const askable = subjects.filter((s) => s.ref.accountId === accounts.destination);
  const unaskable = subjects
    .filter((s) => s.ref.accountId !== accounts.destination)
    .map((s) => skip(idOf(s), `not checked: ${s.ref.arn} is in account ${s.ref.accountId}, which this run has no profile for`));
  // One question first: if the endpoint cannot answer it, no other is asked.
  const [first, ...rest] = askable;
  if (!first) return unaskable;
  const knownUnsupported = await unsupportedAt(vc);
  if (knownUnsupported) return [...askable.map((s) => skip(idOf(s), knownUnsupported)), ...unaskable];
  // Built only when a question is asked: a fleet's other setups, told the endpoint lacks the simulator, build none.
  const iam = simulatorClient(vc);
  try {
    const firstAnswer = await firstQuestion(vc, simulate(vc, iam, first));
    if ('unsupported' in firstAnswer) return [...askable.map((s) => skip(idOf(s), firstAnswer.unsupported)), ...unaskable];
    const others = await Promise.all(rest.map(async (s) => asCheck(s, await simulate(vc, iam, s))));
    return [firstAnswer.check, ...others, ...unaskable];
  } finally {
    if (iam !== vc.clients.destination.iam) iam.destroy();
  }
}

// An endpoint other than AWS that does not implement the simulator (moto) does not start to within one process: the
// first setup of a fleet to ask finds out, the others wait for that answer instead of each asking again.
const firstAnswers = new Map<string, Promise<string | undefined>>();

const unsupportedAt = (vc: VerifyContext): Promise<string | undefined> | undefined =>
  vc.clients.isAws ? undefined : firstAnswers.get(vc.prepared.input.endpointUrl ?? '');

function firstQuestion(vc: VerifyContext, answer: Promise<Answer>): Promise<Answer> {
  const endpoint = vc.prepared.input.endpointUrl ?? '';
  if (!vc.clients.isAws && !firstAnswers.has(endpoint)) {
    firstAnswers.set(
      endpoint,
      answer.then(
        (a) => ('unsupported' in a ? a.unsupported : undefined),
        () => undefined,
      ),
    );
  }
  return answer;
}

/** On AWS the normal client (with its retries); elsewhere one attempt, so an unimplemented call costs no back-off. */
function simulatorClient(vc: VerifyContext): IAMClient {
  if (vc.clients.isAws) return vc.clients.destination.iam;
  const { credentials } = vc.clients.destination.iam.config;
  return new IAMClient({
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    ...(vc.prepared.input.endpointUrl ? { endpoint: vc.prepared.input.endpointUrl } : {}),
  });
}

/** A verdict, or why the endpoint cannot give one (then no other question is asked). */
type Answer = { check: Check } | { unsupported: string };

const asCheck = (subject: Subject, answer: Answer): Check => ('check' in answer ? answer.check : skip(idOf(subject), answer.unsupported));

async function simulate(vc: VerifyContext, iam: IAMClient, subject: Subject): Promise<Answer> {
  const { input, accounts, live } = vc.prepared;
  const bucket = bucketArn(input.source.bucket);
  const questions = [
    { action: 's3:ListBucket', resource: bucket },
    { action: 's3:GetObject', resource: `${bucket}/${exportPrefix(input)}replicate-setup-verify` },
  ];
  const id = idOf(subject);
  let decisions: { action: string; decision: PolicyEvaluationDecisionType | undefined }[];
  try {
    decisions = await Promise.all(
      questions.map(async ({ action, resource }) => {
        const { EvaluationResults } = await send(iam, ops.iam.SimulatePrincipalPolicy, {
          PolicySourceArn: subject.ref.arn,
          ActionNames: [action],
          ResourceArns: [resource],
          ResourceOwner: `arn:aws:iam::${accounts.source}:root`,
          ...(live.source.policy ? { ResourcePolicy: JSON.stringify(live.source.policy) } : {}),
        });
        return { action, decision: EvaluationResults?.[0]?.EvalDecision };
      }),
    );
  } catch (error) {
    if (isErrorNamed(error, 'NoSuchEntity', 'NoSuchEntityException')) return { check: skip(id, `not checked: ${subject.ref.arn} does not exist`) };
    const status = httpStatus(error);
    if (!vc.clients.isAws && status !== 403) {
      // moto's answer is an HTML 500 page, which the SDK names only "Error".
      const answer = [errorName(error), status ? `HTTP ${status}` : ''].filter((part) => part && part !== 'Error').join(', ') || 'no answer';
      return {
        unsupported: `not checked: the endpoint ${input.endpointUrl ?? ''} does not implement iam:SimulatePrincipalPolicy (${answer}), so AWS's own policy evaluator could not be asked`,
      };
    }
    const translated = translateAwsError(error, {
      doing: 'asking the IAM policy simulator',
      profile: vc.clients.destination.profile,
      resource: subject.ref.arn,
    });
    return { check: warn(id, `could not ask AWS's policy simulator about ${subject.user}: ${translated.message}`, translated.remedy ?? '') };
  }
  const allowed = decisions.filter((d) => d.decision === 'allowed');
  const answer = decisions.map((d) => `${d.action} ${d.decision ?? 'no answer'}`).join(', ');
  if (subject.expect === 'allowed') {
    return allowed.length === decisions.length
      ? { check: pass(id, `AWS's policy simulator allows ${subject.user} s3:ListBucket and s3:GetObject on ${input.source.bucket}`) }
      : {
          check: fail(
            id,
            `AWS's policy simulator does not allow ${subject.user} to read ${input.source.bucket} (${answer})`,
            `See source.policy.reader:${subject.user} and reader.identity:${subject.user}; an SCP or permissions boundary can also refuse it.`,
          ),
        };
  }
  return allowed.length === 0
    ? { check: pass(id, `AWS's policy simulator refuses ${subject.user} (${answer})`) }
    : {
        check: fail(
          id,
          `AWS's policy simulator lets ${subject.user} ${allowed.map((d) => d.action).join(' and ')} on ${input.source.bucket}`,
          `Remove what grants it (see source.policy.denied:${subject.user}).`,
        ),
      };
}
