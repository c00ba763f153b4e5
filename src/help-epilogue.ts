/**
 * What `--help` of each command shows after the options, as `gh` and `terraform` do: examples, exit codes, the
 * environment variables read, and where the documentation is. Plain text, so help stays fast (no SDK loaded).
 */

export const DOCS_URL = 'https://www.npmjs.com/package/replicate-setup';

const SEED = '--source-profile xyz --source-bucket rubes-s3-bucket --dest-profile abcd --dest-bucket clint-s3-bucket';

export type HelpedCommand = 'wizard' | 'plan' | 'verify' | 'teardown' | 'permissions' | 'export' | 'jobs' | 'status';

const EXAMPLES: Record<HelpedCommand, string[]> = {
  wizard: [
    '$ replicate-setup wizard                                  # asks for everything at a terminal',
    `$ replicate-setup wizard --yes ${SEED} --authorized-user tom-cruise`,
    '$ replicate-setup wizard --config setup.json --yes        # answers saved earlier with --save-config',
  ],
  plan: [`$ replicate-setup plan ${SEED}`, `$ replicate-setup plan ${SEED} --json > plan.json`],
  verify: [`$ replicate-setup verify ${SEED} --expect-denied clint-eastwood`, `$ replicate-setup verify ${SEED} --canary`],
  teardown: [
    `$ replicate-setup teardown ${SEED}              # shows what goes, asks first`,
    `$ replicate-setup teardown --yes --delete-buckets --delete-objects ${SEED}`,
  ],
  permissions: [`$ replicate-setup permissions ${SEED} --for all`, `$ replicate-setup permissions ${SEED} --json > policies.json`],
  jobs: [`$ replicate-setup jobs ${SEED}`, `$ replicate-setup jobs ${SEED} --wait`],
  export: [`$ replicate-setup export --format terraform --out infra/ ${SEED}`, `$ replicate-setup export --format cloudformation --out cfn/ ${SEED}`],
  status: [`$ replicate-setup status ${SEED}`, `$ replicate-setup status ${SEED} --since 7d --sample 50`, `$ replicate-setup status ${SEED} --watch`],
};

const EXIT_CODES: Record<HelpedCommand, string[]> = {
  wizard: [
    '0    done (and verified)',
    '1    AWS refused or failed a step, or a verification check failed',
    '2    invalid input: nothing was written',
    '130  interrupted (Ctrl-C)',
  ],
  plan: ['0    plan shown', '1    AWS refused a read', '2    invalid input'],
  verify: ['0    no check failed', '1    a check failed, or AWS refused a read', '2    invalid input'],
  teardown: [
    '0    removed (or nothing to remove)',
    '1    AWS refused a step, or a bucket to delete still holds objects (nothing removed)',
    '2    invalid input, or no --yes without a terminal: nothing removed',
    '130  interrupted (Ctrl-C)',
  ],
  permissions: ['0    policies printed', '1    AWS refused a read', '2    invalid input'],
  export: ['0    files written', '1    AWS refused a read', '2    invalid input'],
  jobs: ['0    no job failed (or none exists)', '1    a job failed or has failed tasks, or AWS refused a read', '2    invalid input'],
  status: ['0    healthy or degraded', '1    failing, or AWS refused a read', '2    invalid input'],
};

const ENVIRONMENT = [
  'AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN',
  '      credentials of a side whose --source-profile / --dest-profile is left out (the SDK default chain,',
  '      which also covers SSO, web identity and container or instance roles)',
  'AWS_REGION, AWS_DEFAULT_REGION   region of a side without a region flag or profile region',
  'AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE   where the profiles are (default ~/.aws/config, ~/.aws/credentials)',
  'AWS_ENDPOINT_URL   send every call to this endpoint (an emulator); unset it before running against AWS',
  'NO_COLOR   no colour',
];

export function helpEpilogue(command: HelpedCommand): string {
  const section = (title: string, lines: string[]): string => `${title}:\n${lines.map((line) => `  ${line}`).join('\n')}`;
  return `\n${[
    section('Examples', EXAMPLES[command]),
    section('Exit codes', EXIT_CODES[command]),
    section('Environment variables', ENVIRONMENT),
    `Documentation: ${DOCS_URL}`,
  ].join('\n\n')}\n`;
}
