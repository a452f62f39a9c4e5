// Permission tests as root: root ignores permission bits, so a test of a read-only directory would
// pass or fail for the wrong reason (CI containers often run as root). Run the part that must
// meet the permission bits as an ordinary user instead.
import { chown } from 'node:fs/promises';

/** The conventional uid and gid of `nobody`. */
const NOBODY = 65534;

/**
 * Runs `action` as an unprivileged user: as it is for any user but root; as root, with the
 * effective uid and gid of `nobody`, which first owns `paths` (so they are its own files and
 * directories, as a user's would be), then root again. Call it from a child-process worker (the
 * `forks` pool): the ids are the whole process's, every thread's (glibc), libuv's included.
 * @throws Error when root cannot become `nobody` here (no such id mapped, `UV_USE_IO_URING=1`),
 *   rather than run `action` as root, where the permission bits would not be met.
 */
export async function asUnprivileged<T>(
  paths: readonly string[],
  action: () => Promise<T>,
): Promise<T> {
  if (process.getuid?.() !== 0) return action();
  const { seteuid, setegid } = process;
  if (seteuid === undefined || setegid === undefined) {
    throw new Error('asUnprivileged: running as root without seteuid (a worker thread?)');
  }
  let groupChanged = false;
  try {
    for (const path of paths) await chown(path, NOBODY, NOBODY);
    setegid(NOBODY);
    groupChanged = true;
    seteuid(NOBODY);
  } catch (error) {
    if (groupChanged) setegid(0);
    throw new Error(`asUnprivileged: cannot become uid ${NOBODY} as root here`, { cause: error });
  }
  try {
    return await action();
  } finally {
    seteuid(0);
    setegid(0);
  }
}
