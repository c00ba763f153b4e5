import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { credentialSource } from '../input/credentials.js';
import type { SetupInput } from '../input/types.js';
import { registerSecrets } from '../secrets.js';
import { type Service, sdkPackage } from './operation.js';
import { boundCalls, limitCalls, placeClients } from './send.js';

/** The SDK clients for one account: built once, handed to the engine, never imported by it. */
export interface AccountClients {
  /** The named profile, or undefined for the SDK's default chain. */
  profile: string | undefined;
  /** Where the credentials come from, as the plan header names it (`profile xyz`, `environment (AWS_ACCESS_KEY_ID)`). */
  credentialSource: string;
  region: string;
  s3: S3Client;
  iam: IAMClient;
  sts: STSClient;
  kms: KMSClient;
  /** S3 Control (Batch Operations jobs), in the side's region. */
  s3control: S3ControlClient;
  /** Failure alerts (topic, subscriptions) and `status`'s metrics and alarms, in the side's region. */
  sns: SNSClient;
  cloudwatch: CloudWatchClient;
}

export interface AwsClients {
  source: AccountClients;
  destination: AccountClients;
  /** Whether the endpoint is AWS itself (false for an emulator given by --endpoint-url). */
  isAws: boolean;
}

/**
 * Asks for the current code of the MFA device `mfaSerial` that a role profile names. Given by the command layer (a
 * prompt at a terminal, an error without one): the engine never prompts.
 */
export type MfaCodeProvider = (profile: string, mfaSerial: string) => Promise<string>;

export interface ClientOptions {
  mfaCodeProvider?: MfaCodeProvider;
  /**
   * Providers already made, by profile (undefined: the default chain). The wizard passes one map to its lookups and
   * to the run's clients, so credentials resolved (and an MFA code typed) for a question serve the whole run.
   */
  providers?: Map<string | undefined, AwsCredentialIdentityProvider>;
  /**
   * Clients already made, by profile and region: a fleet's setups of one account share them, so the account's
   * identity is asked once (identity.ts caches it per client) and its calls share one limiter.
   */
  accounts?: Map<string, AccountClients>;
}

const MAX_ATTEMPTS = 6; // throttling and 5xx are retried by the SDK with backoff; 6 rides out short bursts

/** Without these a black-holed endpoint would hang the run forever; the SDK only warns on timeouts by default. */
const REQUEST_HANDLER = { connectionTimeout: 5_000, requestTimeout: 60_000, throwOnRequestTimeout: true };

/**
 * The longest one call waits for an answer, SDK retries included: an endpoint that accepts connections and never
 * answers fails the run with a NETWORK error after about this long, not after 6 tries of 60 s. IAM propagation waits
 * are retries around calls that did answer, so they are not bound by it. REPLICATE_SETUP_CALL_TIMEOUT_MS overrides it
 * (tests use a short one).
 */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export function callTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.REPLICATE_SETUP_CALL_TIMEOUT_MS);
  return Number.isFinite(given) && given > 0 ? given : DEFAULT_CALL_TIMEOUT_MS;
}

/**
 * Builds both accounts' clients. The SDK packages are imported here, lazily, so `--help` and `--version` stay fast.
 * A side with a profile uses that profile alone (fromIni, so two profiles never collapse into one identity); a side
 * without one uses the SDK's default chain, as the AWS CLI does. Two sides with the same source share one provider,
 * so an MFA code is asked once.
 */
export async function createAwsClients(input: Pick<SetupInput, 'source' | 'destination' | 'endpointUrl'>, options: ClientOptions = {}): Promise<AwsClients> {
  const { fromIni, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const endpoint = input.endpointUrl;
  const providers = options.providers ?? new Map<string | undefined, AwsCredentialIdentityProvider>();
  const providerOf = (profile: string | undefined): AwsCredentialIdentityProvider => {
    const existing = providers.get(profile);
    if (existing) return existing;
    const ask = options.mfaCodeProvider;
    const init = {
      ...(endpoint ? { clientConfig: { endpoint } } : {}),
      // The SDK passes only the serial; the profile it belongs to is the one this provider reads.
      ...(ask ? { mfaCodeProvider: (serial: string) => ask(profile ?? process.env.AWS_PROFILE ?? 'default', serial) } : {}),
    };
    const provider = registering(profile === undefined ? fromNodeProviderChain(init) : fromIni({ ...init, profile }));
    providers.set(profile, provider);
    return provider;
  };
  const build = (profile: string | undefined, region: string): AccountClients => {
    const cacheKey = `${endpoint ?? ''}|${profile ?? ''}|${region}`;
    const cached = options.accounts?.get(cacheKey);
    if (cached) return cached;
    const credentials = providerOf(profile);
    const common = { region, credentials, maxAttempts: MAX_ATTEMPTS, requestHandler: REQUEST_HANDLER, ...(endpoint ? { endpoint } : {}) };
    const place = { region };
    const timeout = callTimeoutMs();
    const ready = <C extends object>(service: Service, client: C): C => {
      placeClients([client], place);
      // One account's credentials against one endpoint: the account, as far as the tool can know before asking STS.
      limitCalls(client, `${endpoint ?? 'aws'}|${profile ?? '(default chain)'}|${service}`, service);
      boundCalls([client], { ms: timeout, endpoint: endpoint ?? `the AWS ${service.toUpperCase()} endpoint (${service === 'iam' ? 'global' : region})` });
      return client;
    };
    const account = {
      profile,
      credentialSource: credentialSource(profile),
      region,
      s3: ready('s3', new (sdkPackage('s3').S3Client)({ ...common, followRegionRedirects: true, forcePathStyle: !!endpoint })),
      // IAM is global; AWS signs it for us-east-1 whatever region the profile uses.
      iam: ready('iam', new (sdkPackage('iam').IAMClient)({ ...common, region: 'us-east-1' })),
      sts: ready('sts', new (sdkPackage('sts').STSClient)(common)),
    } as AccountClients;
    // The services most runs never call are built on first use, their packages loaded then (see aws/operation.ts).
    lazily(account, 'kms', () => ready('kms', new (sdkPackage('kms').KMSClient)(common)));
    lazily(account, 'sns', () => ready('sns', new (sdkPackage('sns').SNSClient)(common)));
    lazily(account, 'cloudwatch', () => ready('cloudwatch', new (sdkPackage('cloudwatch').CloudWatchClient)(common)));
    // S3 Control's endpoint rules put the account id in front of any endpoint's host (`111111111111.127.0.0.1`, not
    // even a valid URL); `disableHostPrefix` does not turn that off (it is the ruleset, not a host-prefix trait). With
    // --endpoint-url every call reaches the endpoint exactly as given.
    lazily(account, 's3control', () => {
      return ready(
        's3control',
        new (sdkPackage('s3control').S3ControlClient)({ ...common, ...(endpoint ? { endpointProvider: () => ({ url: new URL(endpoint) }) } : {}) }),
      );
    });
    options.accounts?.set(cacheKey, account);
    return account;
  };
  return {
    source: build(input.source.profile, input.source.region),
    destination: build(input.destination.profile, input.destination.region),
    isAws: !endpoint,
  };
}

/** Defines `account[service]` as built by `build` the first time it is read, then kept. */
function lazily<K extends 'kms' | 'sns' | 'cloudwatch' | 's3control'>(account: AccountClients, service: K, build: () => AccountClients[K]): void {
  let client: AccountClients[K] | undefined;
  Object.defineProperty(account, service, {
    enumerable: true,
    get: () => {
      client ??= build();
      return client;
    },
  });
}

/**
 * Resolves once for all four clients of a side (until the credentials near expiry), and registers what it resolved
 * so output can redact it.
 */
function registering(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let pending: ReturnType<AwsCredentialIdentityProvider> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  return (...args) => {
    if (pending && Date.now() > expiresAt - 60_000) pending = undefined;
    pending ??= provider(...args).then((identity) => {
      registerSecrets(identity.accessKeyId, identity.secretAccessKey, identity.sessionToken);
      expiresAt = identity.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
      return identity;
    });
    // A failed resolution is not cached, so a retry can succeed after the user fixes their setup.
    pending.catch(() => {
      pending = undefined;
    });
    return pending;
  };
}
