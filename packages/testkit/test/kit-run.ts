import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = fileURLToPath(new URL('fixtures/vitest.kit.config.ts', import.meta.url));
const VITEST = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);
/** Far above a run's 1–3 s: only a hung child gets near it. */
const RUN_TIMEOUT_MS = 60_000;

/** One case of a kit run, keyed `suite/case id`: `source/read`, `round-trip/round-trip`. */
export interface CaseOutcome {
  readonly key: string;
  readonly passed: boolean;
  /** The failure's message, without its stack (empty when the case passed). */
  readonly message: string;
}

/**
 * Runs the conformance suites of `fixtures/memory.kit.ts` in a child vitest with
 * `FERRY_KIT_DEFECT=quirk` (none when `undefined`) and returns each case's outcome from its JSON
 * report, in the order the suites ran them.
 * @throws Error when the child writes no report or the report has a file-level error.
 */
export async function runKit(quirk: string | undefined): Promise<CaseOutcome[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-kit-'));
  const report = join(dir, 'report.json');
  try {
    const args = [VITEST, 'run', '--config', CONFIG, '--reporter=json', `--outputFile=${report}`];
    const output = await childOutput(args, { ...childEnv(), FERRY_KIT_DEFECT: quirk ?? '' });
    const text = await readFile(report, 'utf8').catch((error: unknown) => {
      throw new Error(`the child vitest wrote no report:\n${output}`, { cause: error });
    });
    return caseOutcomes(JSON.parse(text) as unknown);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** This process's environment without the variables of the vitest running it. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
}

/** Runs node with `args`; resolves with its output whatever the exit code (1 when cases fail). */
function childOutput(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const options = { cwd: PACKAGE, env, timeout: RUN_TIMEOUT_MS };
    execFile(process.execPath, args, options, (error, stdout, stderr) => {
      resolve(`${error === null ? '' : `${error.message}\n`}${stdout}${stderr}`);
    });
  });
}

interface ReportTest {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}

interface ReportFile {
  readonly name: string;
  readonly message: string;
  readonly assertionResults: readonly ReportTest[];
}

function caseOutcomes(report: unknown): CaseOutcome[] {
  const files = (report as { testResults?: unknown }).testResults;
  if (!Array.isArray(files)) throw new Error('the JSON report has no testResults');
  return (files as ReportFile[]).flatMap((file) => {
    if (file.message !== '') throw new Error(`${file.name} failed to run: ${file.message}`);
    return file.assertionResults.map(caseOutcome);
  });
}

function caseOutcome(test: ReportTest): CaseOutcome {
  const id = /^\[([^\]]+)\]/.exec(test.title)?.[1];
  if (id === undefined) throw new Error(`"${test.title}" does not start with a [case id]`);
  const passed = test.status === 'passed';
  return {
    key: `${suiteOf(test.ancestorTitles[0] ?? '')}/${id}`,
    passed,
    message: passed ? '' : messageOf(test),
  };
}

/** `source`, `destination` or `round-trip`, from the suite's describe title. */
function suiteOf(title: string): string {
  if (title.startsWith('source ')) return 'source';
  if (title.startsWith('destination ')) return 'destination';
  if (title.startsWith('round trip ')) return 'round-trip';
  throw new Error(`"${title}" is not the title of a conformance suite`);
}

/** The failure's message lines, up to the stack. */
function messageOf(test: ReportTest): string {
  const lines = test.failureMessages.join('\n').split('\n');
  const stack = lines.findIndex((line) => /^\s+at /.test(line));
  return lines.slice(0, stack < 0 ? undefined : stack).join('\n');
}

/** Runs tasks with at most `concurrency` running at a time, in the order they were given. */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= concurrency) await new Promise<void>((go) => waiting.push(go));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
