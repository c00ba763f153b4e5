import { createRequire } from 'node:module';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type HelpedCommand, helpEpilogue } from './help-epilogue.js';
import { helpText, longFlag, type OptionScope, optionKeys, optionSpec } from './input/option-table.js';
import { redact } from './secrets.js';

/**
 * Commander wiring and the one top-level error handler. Command modules (and with them the AWS SDK)
 * are imported only when a command runs, so `--help` and `--version` start fast.
 */
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * A flag that takes one value, given twice, is refused (exit 2) rather than the last one silently winning: a script
 * that says --source-bucket twice most likely meant something else by one of them.
 */
const once = (value: string, previous: string | undefined): string => {
  if (previous !== undefined) throw new InvalidArgumentError(`It is given twice ("${previous}", then "${value}"): give it once`);
  return value;
};

/** Adds the options of the given scopes, in table order, as commander options. */
function addOptions(command: Command, ...scopes: OptionScope[]): Command {
  for (const scope of scopes) {
    for (const key of optionKeys(scope)) {
      const spec = optionSpec(key);
      const option = new Option(spec.flag, helpText(spec, command.name()));
      if (spec.type === 'list') option.argParser(collect);
      if (spec.type === 'string') option.argParser(once);
      if (spec.type === 'choice' && spec.choices) option.choices(spec.choices);
      command.addOption(option);
      if (spec.negation !== undefined) command.addOption(new Option(longFlag(spec).replace(/^--/, '--no-'), spec.negation));
    }
  }
  return command;
}

/** The flags every setup-shaped command shares (wizard, plan, verify): the setup options, --config and --json. */
export function addSetupOptions(command: Command): Command {
  return addOptions(command, 'setup', 'common');
}

type CommandRunner = (options: Record<string, unknown>) => Promise<number>;

/**
 * Every command, once: its name, what it does, the scopes of options it takes besides a setup's own and --config/--json,
 * and its module, imported only when it runs (with it the AWS SDK), so `--help` and `--version` start fast.
 */
const COMMANDS: { name: HelpedCommand; alias?: string; description: string; scopes: OptionScope[]; load: () => Promise<CommandRunner> }[] = [
  {
    name: 'wizard',
    alias: 'apply',
    description: 'set up replication: asks for what flags did not give (never asks with --yes or without a terminal)',
    scopes: ['confirm', 'wizard'],
    load: async () => (await import('./commands/wizard-command.js')).runWizardCommand,
  },
  {
    name: 'plan',
    description: 'dry run: show every change and document, write nothing',
    scopes: [],
    load: async () => (await import('./commands/plan-command.js')).runPlanCommand,
  },
  {
    name: 'verify',
    description: 'check the live setup against what wizard sets up; exit 1 when a check fails',
    scopes: ['verify'],
    load: async () => (await import('./commands/verify-command.js')).runVerifyCommand,
  },
  {
    name: 'teardown',
    description: "undo a setup exactly: remove what it owns and nothing else (asks first; --yes doesn't)",
    scopes: ['confirm', 'teardown'],
    load: async () => (await import('./commands/teardown-command.js')).runTeardownCommand,
  },
  {
    name: 'permissions',
    description: "print each profile's IAM policy for this setup: exactly the calls a command makes, on this setup's resources",
    scopes: ['permissions'],
    load: async () => (await import('./commands/permissions-command.js')).runPermissionsCommand,
  },
  {
    name: 'export',
    description: 'write the same setup as Terraform or CloudFormation; reads both accounts like plan, writes nothing to AWS',
    scopes: ['export'],
    load: async () => (await import('./commands/export-command.js')).runExportCommand,
  },
  {
    name: 'jobs',
    description: "show the setup's Batch Replication jobs (existing objects): status, tasks, elapsed time, failures with remedies",
    scopes: ['jobs'],
    load: async () => (await import('./commands/jobs-command.js')).runJobsCommand,
  },
  {
    name: 'status',
    description: "a setup's health now: metrics, alarms, the newest objects; exit 1 when it is failing",
    scopes: ['status'],
    load: async () => (await import('./commands/status-command.js')).runStatusCommand,
  },
];

export function buildProgram(): Command {
  const program = new Command('replicate-setup')
    .description('Set up S3 cross-account, cross-region replication end to end, and prove that it works.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)');

  for (const spec of COMMANDS) {
    const command = program.command(spec.name).description(spec.description);
    if (spec.alias) command.alias(spec.alias);
    addOptions(command, 'setup', 'common', ...spec.scopes)
      .addHelpText('after', helpEpilogue(spec.name))
      .action(async (options: Record<string, unknown>) => {
        process.exitCode = await (await spec.load())(options);
      });
  }
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
