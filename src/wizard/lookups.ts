import type { ClientOptions } from '../aws/clients.js';
import type { IamUser } from '../aws/iam-users.js';
import type { ProfileCatalog } from '../input/validate.js';

/** What the questions need to know about the user's AWS setup. Reads only; injected so tests can fake it. */
export interface WizardLookups {
  profiles: ProfileCatalog;
  /** The account a profile's credentials belong to (STS GetCallerIdentity); undefined is the default chain. */
  accountOf(profile: string | undefined): Promise<string>;
  /** The IAM users of the profile's account (IAM ListUsers), to choose authorised readers from. */
  iamUsers(profile: string | undefined): Promise<IamUser[]>;
}

/**
 * The real lookups: profiles from the AWS config files, calls through the same clients the engine uses. `options`
 * carries the MFA prompt and the providers map the run's clients reuse, so a profile's code is asked once.
 */
export async function awsLookups(endpointUrl: string | undefined, options: ClientOptions = {}): Promise<WizardLookups> {
  const [{ loadProfileCatalog }, { createAwsClients }, { call }, { accountOf }, { listIamUsers }, { defaultRegion }] = await Promise.all([
    import('../aws/profiles.js'),
    import('../aws/clients.js'),
    import('../aws/errors.js'),
    import('../aws/identity.js'),
    import('../aws/iam-users.js'),
    import('../input/validate.js'),
  ]);
  const profiles = await loadProfileCatalog();
  const built = new Map<string | undefined, ReturnType<typeof createAwsClients>>();
  const clientsOf = async (profile: string | undefined) => {
    // STS needs some region; a profile without one still resolves its account through us-east-1.
    const side = { ...(profile === undefined ? {} : { profile }), region: defaultRegion(profile, profiles) ?? 'us-east-1', bucket: '' };
    if (!built.has(profile)) built.set(profile, createAwsClients({ source: side, destination: side, ...(endpointUrl ? { endpointUrl } : {}) }, options));
    return (await built.get(profile)!).source;
  };
  return {
    profiles,
    accountOf: async (profile) => {
      const { sts } = await clientsOf(profile);
      return call({ doing: 'finding the account (sts:GetCallerIdentity)', profile }, () => accountOf(sts));
    },
    iamUsers: async (profile) => {
      const { iam } = await clientsOf(profile);
      return call({ doing: 'listing IAM users', profile }, () => listIamUsers(iam));
    },
  };
}
