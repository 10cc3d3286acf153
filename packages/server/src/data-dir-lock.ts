import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Another live server holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `data directory ${dataDir} is in use by another eks-sim server (pid ${holderPid}); stop it, or give another --data-dir (if pid ${holderPid} is not eks-sim, delete ${join(dataDir, 'lock')})`,
    );
  }
}

/** Lock files this process holds: its own pid in a lock file is not stale while it is listed here. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * One server per data directory: two would interleave lines in the same journals. The lock is
 * `<dataDir>/lock` holding the server's pid, created exclusively; a lock whose pid is not
 * running (the server was killed) is stale and taken over.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, 'lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        heldHere.add(path);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readPid(path);
      const stale = holder === null || (holder === process.pid ? !heldHere.has(path) : !isAlive(holder));
      if (!stale) throw new DataDirLockedError(dataDir, holder);
      rmSync(path, { force: true });
    }
    // Someone else took the stale lock between our removing it and creating ours.
    throw new DataDirLockedError(dataDir, readPid(path) ?? 0);
  }

  release(): void {
    if (!heldHere.delete(this.path)) return;
    if (readPid(this.path) === process.pid) rmSync(this.path, { force: true });
  }
}
