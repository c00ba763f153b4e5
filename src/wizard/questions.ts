import type { ChalkInstance } from 'chalk';
import { credentialSource } from '../input/credentials.js';
import { DEFAULT_ROLE_NAME, flagOf, type RawOptions, SIDE_OPTIONS } from '../input/options.js';
import { loadRegions } from '../input/regions.js';
import { OFFERED_STORAGE_CLASSES } from '../input/rules.js';
import { defaultRegion } from '../input/validate.js';
import { capital } from '../plan/context.js';
import { bucketAnswerProblem, prefixAnswerProblem, readerListProblem, regionChoices, roleNameProblem, splitList, unlistedUserProblem } from './answers.js';
import type { WizardLookups } from './lookups.js';
import type { PromptKit } from './prompt-kit.js';

export interface WizardContext {
  prompts: PromptKit;
  lookups: WizardLookups;
  /** Writes a line between questions: an account resolved, a list that could not be read. */
  say: (line: string) => void;
  color: ChalkInstance;
  /** Options already settled though left out (the default chain, no scenario options): not asked again on a re-ask. */
  settled?: ReadonlySet<keyof RawOptions>;
}

type Side = 'source' | 'destination';

const SIDE_KEYS = SIDE_OPTIONS;

const SIDE_WORDS = {
  source: { title: 'Source', role: 'whose bucket is copied from' },
  destination: { title: 'Destination', role: 'that receives the copies' },
} as const;

const SOMEONE_ELSE = Symbol('someone else');

/**
 * Asks, in order, for every setup answer the flags and config file did not give, and returns them merged with the
 * given ones. Reads only (profiles, STS, IAM ListUsers): nothing is written while questions are asked.
 */
export async function askForOptions(given: RawOptions, ctx: WizardContext): Promise<RawOptions> {
  const answers: RawOptions = { ...given };
  announceGiven(given, ctx);
  const accounts: Partial<Record<Side, string>> = {};
  for (const side of ['source', 'destination'] as const) {
    const keys = SIDE_KEYS[side];
    if (answers[keys.profile] === undefined && !ctx.settled?.has(keys.profile)) {
      // Each profile is checked as it is chosen: one whose credentials do not work is asked again, not found out later.
      for (;;) {
        const profile = await askProfile(side, answers.sourceProfile, ctx);
        const account = await showAccount(profile, ctx);
        if (account === undefined) continue;
        if (profile === undefined) delete answers[keys.profile];
        else answers[keys.profile] = profile;
        accounts[side] = account;
        break;
      }
    }
    const profile = answers[keys.profile];
    answers[keys.region] ??= await askRegion(side, profile, ctx);
    answers[keys.bucket] ??= await ctx.prompts.input({
      message: `${SIDE_WORDS[side].title} bucket name (created if missing):`,
      validate: (name) => bucketAnswerProblem(name, side === 'destination' ? answers.sourceBucket : undefined) ?? true,
      // Typed text turns red while it breaks a rule; Enter shows which rule.
      transformer: (name, { isFinal }) => (isFinal || !bucketAnswerProblem(name) ? name : ctx.color.red(name)),
    });
  }
  answers.roleName ??= await ctx.prompts.input({
    message: 'Replication role to create in the source account:',
    default: DEFAULT_ROLE_NAME,
    validate: (name) => roleNameProblem(name) ?? true,
  });
  answers.authorizedUser ??= await askReaders(answers.destProfile, accounts.destination, ctx);
  answers.prefix ??= await ctx.prompts.input({
    message: 'Replicate only keys under this prefix (empty: the whole bucket):',
    validate: (prefix) => prefixAnswerProblem(prefix) ?? true,
    transformer: (prefix, { isFinal }) => (isFinal && prefix === '' ? ctx.color.dim('(the whole bucket)') : prefix),
  });
  answers.rtc ??= await yesOrNo(ctx, 'Replication Time Control (RTC)?', {
    yes: '99.99% of new objects copied within 15 minutes, with metrics; costs about US$0.015 per GB replicated',
    no: 'usually copied within minutes but with no time guarantee; no RTC charge',
  });
  answers.deleteMarkerReplication ??= await yesOrNo(ctx, 'Replicate delete markers?', {
    yes: 'deleting an object in the source hides its copy in the destination too (versions are kept)',
    no: 'copies stay visible after deletes in the source: a backup that survives mistakes',
  });
  await askScenarioOptions(answers, ctx);
  return answers;
}

/**
 * "Email someone when replication fails?": asked last, only in the longer walk through "More options" (so the common
 * path stays as short as it was), and never when a flag or config gave --alert-email or --alert-topic.
 */
async function askAlerts(answers: RawOptions, ctx: WizardContext): Promise<void> {
  if (answers.alertEmail !== undefined || answers.alertTopic !== undefined || ctx.settled?.has('alertEmail')) return;
  const typed = await ctx.prompts.input({
    message: 'Email someone when replication fails? (addresses, comma-separated; empty: no alerts)',
    validate: (text) =>
      splitList(text).every((address) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) || 'give email addresses (name@example.com), comma-separated',
  });
  const emails = splitList(typed);
  if (emails.length > 0) answers.alertEmail = emails;
}

const SCENARIO_KEYS = ['encryption', 'uploader', 'storageClass', 'preset'] as const satisfies readonly (keyof RawOptions)[];

/**
 * The walkthrough's test scenarios (encrypted replicas, certain uploaders only, log backup, a cheaper storage class),
 * behind one question whose default is no, so the common path stays short. Flags for any of them skip it.
 */
async function askScenarioOptions(answers: RawOptions, ctx: WizardContext): Promise<void> {
  if (SCENARIO_KEYS.some((key) => answers[key] !== undefined || ctx.settled?.has(key))) return;
  const more = await ctx.prompts.select({
    message: 'More options (SSE-KMS encryption, certain uploaders only, log backup, storage class, failure alerts)?',
    default: false,
    choices: [
      { value: false, name: 'No', description: "SSE-S3 encryption, every upload replicated, replicas in the source object's storage class" },
      { value: true, name: 'Yes', description: 'ask about each of them' },
    ],
  });
  if (!more) return;
  answers.preset = await ctx.prompts.select<string | undefined>({
    message: 'What does the source bucket hold?',
    choices: [
      { value: undefined, name: 'Objects people or programs upload', description: 'plain replication, as in the walkthrough' },
      {
        value: 'log-backup',
        name: 'CloudWatch Logs exports',
        description: 'the bucket accepts export tasks from CloudWatch Logs of the source account; the exports are backed up',
      },
    ],
  });
  answers.encryption = await ctx.prompts.select({
    message: 'Encryption at rest?',
    choices: [
      { value: 'sse-s3', name: 'SSE-S3', description: 'S3-managed keys; readers need no key permission' },
      {
        value: 'sse-kms',
        name: 'SSE-KMS',
        description: 'a customer-managed KMS key in each account; the authorised users are allowed to decrypt the replicas',
      },
    ],
  });
  if (answers.preset === undefined) {
    const listed = (await listUsers(answers.sourceProfile, ctx))?.map((user) => user.name);
    const where = `The source account (${credentialSource(answers.sourceProfile)})`;
    const uploaders = await ctx.prompts.input({
      message: 'Replicate only what these source-account users upload (IAM user names or role ARNs, comma-separated; empty: everyone):',
      validate: (typed) => readerListProblem(splitList(typed)) ?? unlistedUserProblem(splitList(typed), listed, where) ?? true,
    });
    answers.uploader = splitList(uploaders);
  }
  answers.storageClass = await ctx.prompts.select<string | undefined>({
    message: 'Storage class of the replicas?',
    choices: [
      { value: undefined, name: 'Same as the source object' },
      ...OFFERED_STORAGE_CLASSES.map((storageClass) => ({ value: storageClass, name: storageClass })),
    ],
  });
  await askAlerts(answers, ctx);
  for (const key of SCENARIO_KEYS) if (answers[key] === undefined) delete answers[key];
}

/** Yes (the default) or No, each with a one-line account of what it does and costs. */
function yesOrNo(ctx: WizardContext, message: string, explain: { yes: string; no: string }): Promise<boolean> {
  return ctx.prompts.select({
    message,
    default: true,
    choices: [
      { value: true, name: 'Yes', description: explain.yes },
      { value: false, name: 'No', description: explain.no },
    ],
  });
}

function announceGiven(given: RawOptions, ctx: WizardContext): void {
  const shown = Object.entries(given)
    .filter(([key, value]) => value !== undefined && key !== 'endpointUrl')
    .map(([key, value]) => {
      const flag = flagOf(key as keyof RawOptions).replace(/^--no-/, '--');
      if (typeof value === 'boolean') return value ? flag : `--no-${flag.slice(2)}`;
      return `${flag} ${Array.isArray(value) ? value.join(',') || '(none)' : value || '""'}`;
    });
  if (shown.length > 0) ctx.say(ctx.color.dim(`Already answered by flags or --config: ${shown.join(' ')}`));
}

/** The choice that leaves a side's profile out: the SDK's default chain (environment, AWS_PROFILE, SSO, roles). */
const DEFAULT_CHAIN = '\u0000default chain';

async function askProfile(side: Side, sourceProfile: string | undefined, ctx: WizardContext): Promise<string | undefined> {
  const { profiles } = ctx.lookups;
  const names = profiles.names();
  const chain = credentialSource(undefined);
  const chosen = await ctx.prompts.select({
    message: `${SIDE_WORDS[side].title} AWS profile (the account ${SIDE_WORDS[side].role}):`,
    choices: [
      ...names.map((name) => {
        const region = profiles.region(name);
        return { value: name, name, description: region ? `region ${region}` : 'no region configured' };
      }),
      {
        value: DEFAULT_CHAIN,
        name: `no profile: ${chain}`,
        description: 'the credentials the AWS CLI uses without --profile (environment, AWS_PROFILE, SSO, container or instance role)',
      },
    ],
    // The destination is usually the other account: start on a profile the source did not take.
    default: names.find((name) => name !== sourceProfile) ?? names[0] ?? DEFAULT_CHAIN,
    pageSize: 10,
  });
  return chosen === DEFAULT_CHAIN ? undefined : chosen;
}

/** The account a profile's credentials belong to, said as it is found; undefined (and why) when they do not work. */
async function showAccount(profile: string | undefined, ctx: WizardContext): Promise<string | undefined> {
  const c = ctx.color;
  const source = credentialSource(profile);
  try {
    const account = await ctx.lookups.accountOf(profile);
    ctx.say(`  ${c.green('✓')} ${source} is account ${c.bold(account)}`);
    return account;
  } catch (error) {
    const remedy = (error as { remedy?: string }).remedy;
    ctx.say(`  ${c.red('✗')} ${source} cannot be used: ${(error as Error).message}${remedy ? `\n    ${remedy}` : ''}\n    Choose another answer.`);
    return undefined;
  }
}

async function askRegion(side: Side, profile: string | undefined, ctx: WizardContext): Promise<string> {
  const regions = await loadRegions();
  const region = defaultRegion(profile, ctx.lookups.profiles);
  const fromProfile = profile !== undefined && ctx.lookups.profiles.region(profile) === region;
  const why = fromProfile ? `profile ${profile}'s region` : 'your default region';
  return ctx.prompts.search({
    message: `${SIDE_WORDS[side].title} region (type to search):`,
    source: (term) => regionChoices(term, regions, region ? { region, why } : undefined),
    pageSize: 10,
  });
}

async function askReaders(profile: string | undefined, account: string | undefined, ctx: WizardContext): Promise<string[]> {
  const users = await listUsers(profile, ctx);
  const where = account ? `account ${account}` : credentialSource(profile);
  const listed = users?.map((user) => user.name);
  if (!users || users.length === 0) return askTypedReaders(`Who in ${where} may read the source bucket?`, [], ctx, { listed, where: capital(where) });
  const chosen = await ctx.prompts.checkbox<string | typeof SOMEONE_ELSE>({
    message: `Who in ${where} may read the source bucket? (none is fine)`,
    choices: [
      ...users.map((user) => ({ value: user.name, name: user.name, description: user.arn })),
      { value: SOMEONE_ELSE, name: 'someone else: type user names or ARNs' },
    ],
    pageSize: 10,
  });
  const picked = chosen.filter((value): value is string => value !== SOMEONE_ELSE);
  if (!chosen.includes(SOMEONE_ELSE)) return picked;
  return [...picked, ...(await askTypedReaders('Who else may read the source bucket?', picked, ctx, { listed, where: capital(where) }))];
}

/** The account's IAM users, or undefined (said) when they cannot be listed: typed names are then taken as given. */
async function listUsers(profile: string | undefined, ctx: WizardContext): Promise<{ name: string; arn: string }[] | undefined> {
  try {
    return await ctx.lookups.iamUsers(profile);
  } catch (error) {
    ctx.say(`  ${ctx.color.yellow('!')} could not list the IAM users of ${credentialSource(profile)}: ${(error as Error).message}`);
    return undefined;
  }
}

async function askTypedReaders(
  question: string,
  alreadyChosen: string[],
  ctx: WizardContext,
  known: { listed: string[] | undefined; where: string },
): Promise<string[]> {
  const text = await ctx.prompts.input({
    message: `${question} IAM user names or user/role ARNs, comma-separated (empty: nobody):`,
    validate: (typed) => readerListProblem(splitList(typed), alreadyChosen) ?? unlistedUserProblem(splitList(typed), known.listed, known.where) ?? true,
  });
  return splitList(text);
}
