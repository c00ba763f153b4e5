import { bucketNameProblem, iamNameProblem, partitionProblem, prefixProblem } from '../input/rules.js';
import { isPrincipalArn } from '../plan/names.js';

/**
 * Pure helpers behind the questions: what each answer may be and why not, worded for a person at a prompt. The rules
 * themselves live in src/input (the same ones validateOptions applies to flags).
 */

export interface RegionChoice {
  value: string;
  name: string;
  short: string;
}

/**
 * Regions whose code or name contains every word typed ("sydney", "ap south", "eu-west"), the default one first (so
 * Enter on an empty search picks it) with why it is the default, then by code.
 */
export function regionChoices(
  term: string | undefined,
  regions: Readonly<Record<string, string>>,
  preferred?: { region: string; why: string },
): RegionChoice[] {
  const words = (term ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const isPreferred = (code: string): boolean => code === preferred?.region;
  return Object.entries(regions)
    .filter(([code, name]) => words.every((word) => `${code} ${name}`.toLowerCase().includes(word)))
    .sort(([a], [b]) => Number(isPreferred(b)) - Number(isPreferred(a)))
    .map(([code, name]) => ({
      value: code,
      name: `${code.padEnd(15)} ${name}${isPreferred(code) ? `  (${preferred!.why})` : ''}`,
      short: code,
    }));
}

export function bucketAnswerProblem(name: string, otherBucket?: string): string | undefined {
  const problem = bucketNameProblem(name);
  if (problem) return `A bucket name ${problem}.`;
  if (name === otherBucket) return 'The destination bucket must differ from the source bucket (a bucket cannot replicate to itself).';
  return undefined;
}

export function roleNameProblem(name: string): string | undefined {
  const problem = iamNameProblem(name, 'A role name', 64);
  return problem && `${problem}.`;
}

export function prefixAnswerProblem(prefix: string): string | undefined {
  const problem = prefixProblem(prefix);
  return problem && `The prefix ${problem}.`;
}

/** "tom-cruise, arn:aws:iam::…:user/x" → its entries; commas or spaces separate (IAM names hold neither). */
export const splitList = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/** Readers typed by hand: IAM user names of the destination account, or user/role ARNs; none twice. */
export function readerListProblem(entries: string[], alreadyChosen: string[] = []): string | undefined {
  for (const entry of entries) {
    if (entry.startsWith('arn:')) {
      const partition = partitionProblem(entry);
      if (partition) return `"${entry}" ${partition}.`;
      if (!isPrincipalArn(entry)) return `"${entry}" is not an IAM user or role ARN (arn:aws:iam::123456789012:user/NAME).`;
    } else {
      const problem = iamNameProblem(entry, `"${entry}": a user name`, 64);
      if (problem) return `${problem}.`;
    }
  }
  const all = [...alreadyChosen, ...entries];
  const twice = all.find((entry, index) => all.indexOf(entry) !== index);
  return twice ? `"${twice}" is listed twice.` : undefined;
}

/**
 * Bare names among typed principals that are not IAM users of the account, when its users could be listed (a bare
 * name means a user; an ARN is taken as given, since it may name a role or another account).
 */
export function unlistedUserProblem(entries: string[], listed: readonly string[] | undefined, where: string): string | undefined {
  if (listed === undefined) return undefined;
  const missing = entries.filter((entry) => !entry.startsWith('arn:') && !listed.includes(entry));
  if (missing.length === 0) return undefined;
  return `${where} has no IAM user ${missing.join(', ')} (its users: ${listed.join(', ') || 'none'}); give an existing user, or a user/role ARN.`;
}
