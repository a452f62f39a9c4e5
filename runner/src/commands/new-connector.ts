import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError, InternalError, isPlainObject } from '@ferry/core';
import { errnoCode, fsError } from '@ferry/storage';
import { Exit, type CommandContext } from '../cli-support.js';
import { copyTemplate } from '../scaffold/copy.js';
import { nameProblem, renameText } from '../scaffold/names.js';
import { npmInstall, prettierWrite } from '../scaffold/processes.js';
import { addRunnerDependency, findRepoRoot, takenNames, templateDir } from '../scaffold/repo.js';

/** What {@link scaffoldConnector} needs. The CLI passes the real steps; tests pass stand-ins. */
export interface ScaffoldOptions {
  readonly name: string;
  /** The package directory to create (`--dir`), relative to `cwd`; default `<repo>/connectors/<name>`. */
  readonly dir?: string | undefined;
  /** Where the repository is looked for (upwards) and `dir` is resolved from. */
  readonly cwd: string;
  /** The template package (default: the repository's, else the one next to this runner). */
  readonly template?: string;
  /** Runs `npm install` in the repository root; resolves to whether it succeeded. */
  readonly install: (root: string) => Promise<boolean>;
  /** Formats the new package with the repository's Prettier; resolves to whether it succeeded. */
  readonly format: (root: string, target: string) => Promise<boolean>;
  /** Shows the user one line of progress. */
  readonly log: (line: string) => void;
}

/** What {@link scaffoldConnector} did. */
export interface ScaffoldResult {
  /** The new package directory (absolute). */
  readonly target: string;
  readonly packageName: string;
  /** The repository the package was registered in, when it is one of its connectors. */
  readonly root: string | undefined;
  /** Whether `npm install` succeeded (false when it failed or was not run). */
  readonly installed: boolean;
  /** Files written, relative to `target`. */
  readonly files: readonly string[];
}

/**
 * Creates a connector package from the template: copies it (build output and installed packages
 * left out) with its name replaced by `name` in every file. Inside the repository's `connectors/`,
 * also registers it as a dependency of the runner, installs and formats it.
 * @throws ConfigError when `name` is invalid or taken, `dir` is inside the repository but not
 *   directly under `connectors/`, or the target is not empty.
 */
export async function scaffoldConnector(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const cwdRoot = await findRepoRoot(options.cwd);
  const template = options.template ?? templateDir(cwdRoot);
  // A malformed name first, then where the package would go, then whether the name is taken.
  const malformed = nameProblem(options.name, new Set());
  if (malformed !== undefined) throw new ConfigError({ pointer: '', message: malformed });
  const target = targetDir(options, cwdRoot);
  // The repository the package goes into: --dir may name one from outside it.
  const root = options.dir === undefined ? cwdRoot : await findRepoRoot(target);
  assertPlacement(options, { target, root });
  // A built-in of the repository the command runs in would shadow an external plugin's type.
  await assertNewName(options.name, template, root ?? cwdRoot);
  await assertEmpty(target);
  const files = await copyTemplate(template, target, (text) => renameText(text, options.name));
  const packageName = `@ferry/connector-${options.name}`;
  options.log(`created ${target} (${packageName}, type "${options.name}")`);
  if (root === undefined) return { target, packageName, root, installed: false, files };
  const installed = await register(options, { root, target, packageName });
  return { target, packageName, root, installed, files };
}

/** @throws ConfigError when `name` cannot be used (see {@link nameProblem}). */
async function assertNewName(
  name: string,
  template: string,
  root: string | undefined,
): Promise<void> {
  if (!(await isDirectory(template))) {
    throw new InternalError(`the connector template is missing at ${template}`);
  }
  // The template's neighbours, and the connectors of the repository the user is in.
  const taken = await takenNames(dirname(template));
  const local = root === undefined ? [] : await takenNames(join(root, 'connectors'));
  const problem = nameProblem(name, new Set([...taken, ...local]));
  if (problem !== undefined) throw new ConfigError({ pointer: '', message: problem });
}

/**
 * Makes a new package under the repository's `connectors/` a built-in connector of the runner:
 * a dependency of the runner, installed and formatted. Returns whether `npm install` succeeded.
 */
async function register(
  options: ScaffoldOptions,
  made: { readonly root: string; readonly target: string; readonly packageName: string },
): Promise<boolean> {
  const { root, target, packageName } = made;
  await addRunnerDependency(root, packageName, await versionOf(target));
  options.log(`registered ${packageName} in runner/package.json; running npm install`);
  const installed = await options.install(root);
  if (!installed) {
    options.log(`npm install failed; run it by hand in ${root}: npm install --no-audit --no-fund`);
  }
  if (!(await options.format(root, target))) {
    options.log(`prettier failed; run it by hand: npx prettier --write ${relative(root, target)}`);
  }
  return installed;
}

/**
 * The package directory to create: `--dir`, else `connectors/<name>` of the repository.
 * @throws ConfigError outside the repository without `--dir`.
 */
function targetDir(options: ScaffoldOptions, root: string | undefined): string {
  if (options.dir !== undefined) return resolve(options.cwd, options.dir);
  if (root !== undefined) return join(root, 'connectors', options.name);
  throw new ConfigError({
    pointer: '',
    message:
      'not inside the ferry repository: run this in a checkout of ferry, or give the package directory with --dir',
  });
}

/**
 * @throws ConfigError when `target` is inside the repository `root` but not directly under its
 *   `connectors/`: only there is the package a workspace whose tsconfig paths
 *   (`../../tsconfig.base.json`) resolve; elsewhere in the repository it would be neither a
 *   built-in nor an external plugin that builds.
 */
function assertPlacement(
  options: ScaffoldOptions,
  placed: { readonly target: string; readonly root: string | undefined },
): void {
  const { target, root } = placed;
  // `root` is found from `target` upwards: the package is inside it.
  if (root === undefined) return;
  const connectors = join(root, 'connectors');
  if (dirname(target) === connectors) return;
  const suggested = relative(options.cwd, join(connectors, options.name));
  throw new ConfigError({
    pointer: '',
    message:
      `--dir ${options.dir ?? target} is inside the ferry repository; there, a connector package goes directly under connectors/: ` +
      `use --dir ${suggested} or a directory outside the repository`,
  });
}

/** @throws ConfigError when `dir` exists and is not an empty directory. */
async function assertEmpty(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new ConfigError({ pointer: '', message: `${dir} is a file` });
    throw fsError(error, 'listing', dir);
  }
  if (entries.length > 0) {
    throw new ConfigError({ pointer: '', message: `${dir} exists and is not empty` });
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  return readdir(dir).then(
    () => true,
    () => false,
  );
}

async function versionOf(dir: string): Promise<string> {
  const manifest: unknown = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  const version = isPlainObject(manifest) ? manifest.version : undefined;
  return typeof version === 'string' ? version : '0.1.0';
}

/** What to do after scaffolding, for the user. */
export function nextSteps(result: ScaffoldResult): string[] {
  const where = result.root === undefined ? result.target : relative(result.root, result.target);
  const steps = [
    `Next steps, in ${where}:`,
    "  1. Replace src/files.ts with your system's client; it stays the one file that talks to the system and turns its errors into ferry errors.",
    '  2. Rewrite discover and read (src/source.ts, src/read.ts) and write (src/destination.ts, src/stream-writer.ts) on top of it; delete a role you do not need.',
    '  3. Describe every setting in src/config.ts, then run `npm run docs` to regenerate the README configuration section.',
  ];
  if (result.root !== undefined) {
    return [...steps, `  4. npm test -w ${result.packageName}   (passes now; keep it green)`];
  }
  return [
    `${where} is outside the ferry repository, so it is an external plugin package:`,
    '  - in its package.json, move @ferry/core from dependencies to peerDependencies (the runner provides it);',
    '  - its tsconfig.json files extend ../../tsconfig.base.json of the ferry repository: point them at your own;',
    `  - build it, then \`npm install ${result.target}\` in the project that runs ferry; transfers use its type.`,
    ...steps,
    '  4. npm test   (in the package; keep the conformance test green)',
  ];
}

/** `ferry new connector <name> [--dir DIR]`: scaffolds a connector package. */
export async function newConnectorCommand(
  cli: CommandContext,
  name: string,
  options: { readonly dir?: string },
): Promise<number> {
  const log = (line: string): void => {
    cli.terminal.line(line);
  };
  let result: ScaffoldResult;
  try {
    const steps = { install: npmInstall, format: prettierWrite, log };
    result = await scaffoldConnector({ name, dir: options.dir, cwd: process.cwd(), ...steps });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Not "invalid configuration: …": these are about the command line.
    for (const issue of error.issues) log(`error: ${issue.message}`);
    return Exit.usage;
  }
  for (const line of nextSteps(result)) log(line);
  const failed = result.root !== undefined && !result.installed;
  return failed ? Exit.failed : Exit.ok;
}
