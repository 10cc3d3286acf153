import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '../helpers/cli';

/** As `pnpm start` runs it: plain node on the launcher, which runs the esbuild bundle (rebuilt when stale). */
const LAUNCHER = `${REPO_ROOT}packages/server/launch.mjs`;

export interface ServeChild {
  readonly process: ChildProcess;
  readonly base: string;
  readonly token: string;
  readonly stderr: string;
}

/** Starts `eks-sim serve --port 0 --data-dir DIR` as a child process; resolves once it prints its URL and token. */
export function serve(dataDir: string, extraArgs: readonly string[] = []): Promise<ServeChild> {
  return new Promise((resolve, reject) => {
    // One process (the launcher imports the bundle), so that SIGKILL hits the server itself.
    const child = spawn(process.execPath, [LAUNCHER, 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
      cwd: REPO_ROOT,
    });
    let stdout = '';
    const state = { stderr: '' };
    child.stderr.on('data', (d) => {
      state.stderr += String(d);
    });
    child.stdout.on('data', (d) => {
      stdout += String(d);
      const base = /at (http:\/\/[^\s]+)\//.exec(stdout)?.[1];
      const token = /control token: (\S+)/.exec(stdout)?.[1];
      if (base && token) {
        resolve({
          process: child,
          base,
          token,
          get stderr() {
            return state.stderr;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${state.stderr}`)));
  });
}

/** `eks-sim serve` run to its exit (for refusals): exit code and output. */
export function serveToExit(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LAUNCHER, 'serve', '--port', '0', '--data-dir', dataDir], {
      cwd: REPO_ROOT,
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.stdout.on('data', () => child.kill('SIGTERM'));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

export function kill9(child: ServeChild): Promise<void> {
  return new Promise((resolve) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return resolve();
    child.process.once('exit', () => resolve());
    child.process.kill('SIGKILL');
  });
}
