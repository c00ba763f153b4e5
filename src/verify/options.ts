import type { InputProblem } from '../errors.js';
import { DEFAULT_CANARY_TIMEOUT_SECONDS, type OptionKeyOf, type OptionValues, problemAt, type RawOptions } from '../input/options.js';
import { principalProblem, profileNameProblem } from '../input/rules.js';
import type { ProfileCatalog } from '../input/validate.js';
import type { Probe, VerifyOptions } from './types.js';

export { DEFAULT_CANARY_TIMEOUT_SECONDS };

const MAX_CANARY_TIMEOUT_SECONDS = 24 * 3600;

/** verify's own flags, as commander hands them over. */
export type VerifyFlags = OptionValues<OptionKeyOf<'verify'>>;

/**
 * Pure: verify's own flags to VerifyOptions, or the problems with them (each naming its flag), to be reported with
 * those of the setup flags. `raw` gives the authorised users the other flags name.
 */
export function parseVerifyFlags(flags: VerifyFlags, raw: RawOptions, profiles: ProfileCatalog): { options: VerifyOptions; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const authorized = raw.authorizedUser ?? [];
  const expectDenied = flags.expectDenied ?? [];
  for (const name of expectDenied) {
    const issue = principalProblem(name, 'an IAM user name');
    if (issue) problems.push(problemAt('expectDenied', `"${name}": ${issue}`));
    if (authorized.includes(name)) problems.push(problemAt('expectDenied', `"${name}" is also an --authorized-user: it cannot be both allowed and denied`));
  }
  if (new Set(expectDenied).size !== expectDenied.length) problems.push(problemAt('expectDenied', 'lists the same principal twice'));

  const probes: Probe[] = [];
  for (const spec of flags.probeProfile ?? []) {
    const [name, profile, ...extra] = spec.split('=');
    if (!name || !profile || extra.length > 0) {
      problems.push(problemAt('probeProfile', `"${spec}" is not NAME=PROFILE (for example tom-cruise=tom)`));
      continue;
    }
    if (!authorized.includes(name) && !expectDenied.includes(name)) {
      problems.push(
        problemAt('probeProfile', `"${name}" is neither an --authorized-user nor an --expect-denied principal, so there is nothing to expect of the probe`),
      );
    }
    const profileIssue = profileNameProblem(profile);
    if (profileIssue) problems.push(problemAt('probeProfile', `profile "${profile}" ${profileIssue}`));
    else if (!profiles.exists(profile)) problems.push(problemAt('probeProfile', `profile "${profile}" is not in your AWS config or credentials file`));
    if (probes.some((p) => p.name === name)) problems.push(problemAt('probeProfile', `probes "${name}" twice`));
    probes.push({ name, profile });
  }

  let timeoutSeconds = DEFAULT_CANARY_TIMEOUT_SECONDS;
  if (flags.canaryTimeout !== undefined) {
    const value = Number(flags.canaryTimeout);
    if (!flags.canary) problems.push(problemAt('canaryTimeout', 'needs --canary'));
    else if (!/^\d+$/.test(flags.canaryTimeout) || value < 1 || value > MAX_CANARY_TIMEOUT_SECONDS) {
      problems.push(problemAt('canaryTimeout', `"${flags.canaryTimeout}" is not a whole number of seconds from 1 to ${MAX_CANARY_TIMEOUT_SECONDS}`));
    } else timeoutSeconds = value;
  }
  return { options: { expectDenied, probes, ...(flags.canary ? { canary: { timeoutSeconds } } : {}) }, problems };
}
