import { Command, CommanderError, Option } from 'commander';
import {
  commandContext,
  Exit,
  exitCodeFor,
  reportError,
  type CommandContext,
} from './cli-support.js';
import { checkCommand } from './commands/check.js';
import { connectorsCommand } from './commands/connectors.js';
import { discoverCommand } from './commands/discover.js';
import { newConnectorCommand } from './commands/new-connector.js';
import { runCommand } from './commands/run.js';
import { specCommand, type SpecRole } from './commands/spec.js';
import { policyCommand } from './commands/policy.js';
import { validateCommand } from './commands/validate.js';

type SetExit = (code: number) => void;

/** `run`: the command that moves data. */
function addRun(root: Command, cli: CommandContext, setExit: SetExit): void {
  root
    .command('run <transfer>')
    .description('run a transfer once')
    .option('--state-dir <dir>', 'where transfer state is kept', '.ferry/state')
    .option('--json', 'print JSON lines on stdout, the run report last', false)
    .option('--dry-run', 'validate, discover and print the plan; write nothing', false)
    .action(async (file: string, o: { stateDir: string; json: boolean; dryRun: boolean }) => {
      setExit(await runCommand(cli, file, o));
    });
}

/** `validate`, `check`, `discover`: commands about one transfer file. */
function addTransferCommands(root: Command, cli: CommandContext, setExit: SetExit): void {
  root
    .command('validate <transfer>')
    .description('validate a transfer and both connector configs (no I/O)')
    .option('--json', 'print the result as JSON', false)
    .action(async (file: string, o: { json: boolean }) => {
      setExit(await validateCommand(cli, file, o.json));
    });
  root
    .command('policy <transfer>')
    .description("print the least IAM policy (JSON) the transfer's AWS side(s) need")
    .action(async (file: string) => {
      setExit(await policyCommand(cli, file));
    });
  root
    .command('check <transfer>')
    .description("test the source's and the destination's connections")
    .option('--json', 'print the result as JSON', false)
    .action(async (file: string, o: { json: boolean }) => {
      setExit(await checkCommand(cli, file, o.json));
    });
  root
    .command('discover <transfer>')
    .description("print the source's catalog as JSON")
    .action(async (file: string) => {
      setExit(await discoverCommand(cli, file));
    });
}

/** `spec`, `connectors`: commands about the installed connectors. */
function addConnectorCommands(root: Command, cli: CommandContext, setExit: SetExit): void {
  root
    .command('spec <type>')
    .description("print a connector's config JSON Schema")
    .addOption(new Option('--source', 'the source schema').conflicts('destination'))
    .addOption(new Option('--destination', 'the destination schema'))
    .action(async (type: string, o: { source?: boolean; destination?: boolean }) => {
      const role: SpecRole =
        o.source === true ? 'source' : o.destination === true ? 'destination' : undefined;
      setExit(await specCommand(cli, type, role));
    });
  root
    .command('connectors')
    .description('list installed connectors and their capabilities')
    .option('--json', 'print JSON', false)
    .action(async (o: { json: boolean }) => {
      setExit(await connectorsCommand(cli, o.json));
    });
}

/** `new connector`: scaffolding of new packages. */
function addNewCommands(root: Command, cli: CommandContext, setExit: SetExit): void {
  root
    .command('new')
    .description('create a package from a template')
    .command('connector <name>')
    .description('scaffold a connector package that passes the conformance kit')
    .option('--dir <dir>', 'the package directory to create (default: connectors/<name>)')
    .action(async (name: string, o: { dir?: string }) => {
      setExit(await newConnectorCommand(cli, name, o));
    });
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const cli = commandContext();
  let code: number = Exit.ok;
  const setExit: SetExit = (c) => (code = c);
  const root = new Command('ferry')
    .description('Move data between sources and destinations, as described by transfer files.')
    .exitOverride()
    .showHelpAfterError();
  addRun(root, cli, setExit);
  addTransferCommands(root, cli, setExit);
  addConnectorCommands(root, cli, setExit);
  addNewCommands(root, cli, setExit);
  try {
    await root.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      const help = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return help || error.exitCode === 0 ? Exit.ok : Exit.usage;
    }
    reportError(cli, error);
    return exitCodeFor(error);
  }
}
