import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { redact } from './secrets.js';

/**
 * Commander wiring and the one top-level error handler. Command modules (and with them the AWS SDK)
 * are imported only when a command runs, so `--help` and `--version` start fast.
 */
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The flags every setup-shaped command shares (wizard, plan, verify). */
export function addSetupOptions(command: Command): Command {
  return command
    .option('--source-profile <name>', 'AWS profile of the source (partner) account')
    .option('--source-region <region>', 'region of the source bucket (default: the profile\'s region)')
    .option('--source-bucket <name>', 'source bucket, created if missing')
    .option('--dest-profile <name>', 'AWS profile of the destination (company) account')
    .option('--dest-region <region>', 'region of the destination bucket (default: the profile\'s region)')
    .option('--dest-bucket <name>', 'destination bucket, created if missing')
    .option('--role-name <name>', 'replication role in the source account (default: s3-replication-role)')
    .option('--authorized-user <nameOrArn>', 'destination-account IAM user (or user/role ARN) allowed to read the source bucket; repeatable', collect)
    .option('--prefix <prefix>', 'replicate only keys under this prefix (default: the whole bucket)')
    .option('--rtc', 'Replication Time Control, 15 minutes (default)')
    .option('--no-rtc', 'turn Replication Time Control off')
    .option('--delete-marker-replication', 'replicate delete markers (default)')
    .option('--no-delete-marker-replication', 'do not replicate delete markers')
    .addOption(new Option('--encryption <mode>', 'default bucket encryption (default: sse-s3)').choices(['sse-s3', 'sse-kms']))
    .option('--source-kms-key <arnOrAlias>', 'KMS key of the source bucket (sse-kms; default: a new key)')
    .option('--dest-kms-key <arnOrAlias>', 'KMS key for the replicas (sse-kms; default: a new key)')
    .option('--uploader <nameOrArn>', 'replicate only what this source-account user/role uploads (under <prefix><name>/); repeatable', collect)
    .option('--storage-class <class>', 'storage class of the replicas (STANDARD_IA, GLACIER_IR, …)')
    .addOption(new Option('--preset <name>', 'a ready-made setup').choices(['log-backup']))
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator); default $AWS_ENDPOINT_URL')
    .option('--config <file>', 'read options from a JSON config file (flags win)')
    .option('--json', 'print exactly one JSON object on stdout');
}

export function buildProgram(): Command {
  const program = new Command('replicate-setup')
    .description('Set up S3 cross-account, cross-region replication end to end, and prove that it works.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)');

  addSetupOptions(
    program
      .command('wizard')
      .alias('apply')
      .description('set up replication: asks for what flags did not give (never asks with --yes or without a terminal)'),
  )
    .option('-y, --yes', 'do not ask anything; apply without confirmation')
    .option('--save-config <file>', 'write the answers to a config file for later runs')
    .option('--no-verify', 'skip the verification report at the end')
    .action(async (options: Record<string, unknown>) => {
      const { runWizardCommand } = await import('./commands/wizard-command.js');
      process.exitCode = await runWizardCommand(options);
    });

  addSetupOptions(program.command('plan').description('dry run: show every change and document, write nothing')).action(
    async (options: Record<string, unknown>) => {
      const { runPlanCommand } = await import('./commands/plan-command.js');
      process.exitCode = await runPlanCommand(options);
    },
  );

  addSetupOptions(program.command('verify').description('check the live setup against what wizard sets up; exit 1 when a check fails'))
    .option('--expect-denied <nameOrArn>', 'principal the source bucket must grant nothing (e.g. clint-eastwood); repeatable', collect)
    .option('--probe-profile <name=profile>', 'really list and read the source bucket as NAME with PROFILE\'s credentials; repeatable', collect)
    .option('--canary', 'put a small object, wait for its replica, check it, delete both')
    .option('--canary-timeout <seconds>', 'how long to wait for the canary\'s replica (default: 900)')
    .action(async (options: Record<string, unknown>) => {
      const { runVerifyCommand } = await import('./commands/verify-command.js');
      process.exitCode = await runVerifyCommand(options);
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // With --json, stdout carries one JSON object even for a usage error, so commander's own message is held back.
  const json = wantsJson(argv);
  for (const command of [program, ...program.commands]) {
    command.exitOverride();
    if (json) command.configureOutput({ outputError: () => undefined, writeErr: () => undefined });
  }
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every usage error (unknown flag, bad choice, missing value) is invalid input: 2.
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (json) await emitUsageError(error.message);
      return 2;
    }
    process.stderr.write(redact(`replicate-setup: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`));
    return 1;
  }
}


const wantsJson = (argv: string[]): boolean => {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
};

/** A usage error as the JSON error object every other failure prints, naming the flag commander complained about. */
async function emitUsageError(commanderMessage: string): Promise<void> {
  const [{ InputError }, { errorJson }, { createOutput }] = await Promise.all([
    import('./errors.js'),
    import('./report/json-view.js'),
    import('./report/output.js'),
  ]);
  const message = commanderMessage.replace(/^error: /, '').replace(/\n/g, ' ');
  const flag = /'(--[a-z][a-z-]*)/.exec(message)?.[1] ?? (/unknown command/.test(message) ? '<command>' : '<usage>');
  createOutput(true).emitJson(errorJson(new InputError([{ flag, message }])));
}
