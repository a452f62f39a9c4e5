// Permission tests as root: root ignores permission bits, so a test of a read-only directory would
// pass or fail for the wrong reason (CI containers often run as root). Run the part that must
// meet the permission bits as an ordinary user instead.
import { chown } from 'node:fs/promises';

/** The conventional uid and gid of `nobody`. */
const NOBODY = 65534;

/**
 * Runs `action` as an unprivileged user: as it is for any user but root; as root, with the
 * effective uid and gid of `nobody`, which first owns `paths` (so they are its own read-only
 * files and directories, as a user's would be), then root again.
 */
export async function asUnprivileged<T>(
  paths: readonly string[],
  action: () => Promise<T>,
): Promise<T> {
  const { getuid, seteuid, setegid } = process;
  if (getuid?.() !== 0 || seteuid === undefined || setegid === undefined) return action();
  for (const path of paths) await chown(path, NOBODY, NOBODY);
  // set*id applies to every thread of the process (glibc), libuv's file system threads included.
  setegid(NOBODY);
  seteuid(NOBODY);
  try {
    return await action();
  } finally {
    seteuid(0);
    setegid(0);
  }
}
