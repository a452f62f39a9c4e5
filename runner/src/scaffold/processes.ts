import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** One child process; resolves to whether it exited with 0 (false also when it cannot start). */
function run(command: string, args: readonly string[], cwd: string): Promise<boolean> {
  return new Promise((resolve) => {
    // Both of the child's outputs go to our stderr (fd 2): the CLI's human output never goes to
    // stdout, which is kept for machine-readable output.
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 2, 2],
      // npm is `npm.cmd` on Windows, which only a shell finds.
      shell: process.platform === 'win32',
    });
    child.on('error', () => {
      resolve(false);
    });
    child.on('close', (code) => {
      resolve(code === 0);
    });
  });
}

/** `npm install` in the repository root: links the new workspace and updates the lock file. */
export function npmInstall(root: string): Promise<boolean> {
  return run('npm', ['install', '--no-audit', '--no-fund'], root);
}

/**
 * The repository's Prettier over the new package: a longer or shorter name than the template's
 * changes line lengths, and `prettier --check` runs in the repository's lint.
 */
export function prettierWrite(root: string, target: string): Promise<boolean> {
  const prettier = join(root, 'node_modules', '.bin', 'prettier');
  return run(prettier, ['--write', '--log-level', 'warn', target], root);
}
