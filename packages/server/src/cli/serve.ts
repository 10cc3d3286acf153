import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../app';
import { DataDirLockedError } from '../data-dir-lock';
import { DEFAULT_UNREACHABLE_TIMEOUT_MS } from '../real-client';
import { parseFlags } from './args';
import { loadScenarioArg, parseSeedArg } from './scenario-arg';
import { UsageError } from './usage-error';

const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const VIZ_DIST = resolve(REPO_ROOT, 'packages/viz/dist');

const HELP = `usage: eks-sim serve [flags]

Serves sessions of the simulation: the live page at /, REST and the WebSocket stream under
/api, the EKS-compatible AWS API at /clusters, a simulated Kubernetes endpoint under /k8s,
over HTTP and (for kubectl) HTTPS with a CA kept in the data directory.

flags:
  --port N              port to listen on (default 3000; 0 picks a free one)
  --https-port N        HTTPS port of the simulated Kubernetes endpoint, the endpoint that
                        DescribeCluster gives (default: --port + 443, so 3443; 0 picks a free one)
  --host ADDR           address to bind (default 127.0.0.1; 0.0.0.0 for a class on a LAN)
  --client-host KEY=HOST  where a real client (kubectl through /k8s) whose token is signed with
                        access key KEY stands: laptop (the default), bastion, a node; KEY * for
                        every key (repeatable). The endpoint mode and its CIDRs apply from there
  --unreachable-timeout TIME  how long a real client that cannot reach the API server hangs
                        before it gets its timeout and the reason (default 5s; e.g. 500ms, 30s)
  --data-dir DIR        where session journals live (default .eks-sim)
  --scenario NAME|FILE  the default session's scenario (default seed-week1)
  --seed N              the default session's seed
  --allow-origin URL    another origin whose pages may open the stream (repeatable)
  --idle-timeout TIME   close sessions with no viewer and no change for this long and archive
                        their journals (default 24h; e.g. 90m, 7d; 0 never); never the default session
  --max-sessions N      sessions open at once (default 50)
  --max-sessions-per-address N  sessions one client address may create (default 10)
  --allow-host NAMES    host names requests may use besides localhost and this machine's
                        addresses, e.g. teacher.local (repeatable or comma-separated)
  --build-viz-if-missing  build packages/viz first when packages/viz/dist is missing
  --verbose             log every request (fastify's logger)
`;

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--idle-timeout`: `90m`, `24h`, `7d`; `0` for never. */
function parseIdleTimeout(text: string): number | null {
  if (text === '0') return null;
  const match = DURATION.exec(text);
  if (!match)
    throw new UsageError(`serve: --idle-timeout must look like 30m, 24h or 7d, or be 0 for never (got "${text}")`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** `--unreachable-timeout`: `500ms`, `5s`, `1m` (at most 10 minutes: kubectl gives up long before). */
function parseUnreachableTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_UNREACHABLE_TIMEOUT_MS;
  const m = /^(\d+)(ms|s|m)$/.exec(text);
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'] : Number.NaN;
  if (!(ms <= 600_000)) {
    throw new UsageError(`serve: --unreachable-timeout must look like 500ms, 5s or 1m, at most 10m (got "${text}")`);
  }
  return ms;
}

function parseCount(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 10_000) {
    throw new UsageError(`serve: ${flag} must be an integer from 1 to 10000 (got "${text}")`);
  }
  return Number(text);
}

function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const addr of list ?? []) if (!addr.internal && addr.family === 'IPv4') out.push(addr.address);
  }
  return out;
}

function buildViz(): boolean {
  process.stderr.write('eks-sim: the page is not built yet; building it (npx vite build packages/viz)…\n');
  const vite = resolve(REPO_ROOT, 'node_modules/.bin/vite');
  const result = spawnSync(vite, ['build', 'packages/viz'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', process.stderr, 'inherit'],
  });
  if (result.status !== 0) {
    process.stderr.write('eks-sim: warning: building the page failed; serving the API with a placeholder page\n');
    return false;
  }
  return true;
}

/** `eks-sim serve`: one process, sessions journalled under the data directory, stopped by SIGINT/SIGTERM. */
export async function serveCommand(argv: string[]): Promise<number> {
  // `pnpm start -- --port 4000` passes the `--` through; flags after it are still flags.
  const flags = argv.filter((arg) => arg !== '--');
  const { values } = parseFlags('serve', flags, {
    port: { type: 'string' },
    'https-port': { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    scenario: { type: 'string' },
    seed: { type: 'string' },
    'allow-origin': { type: 'string', multiple: true },
    'idle-timeout': { type: 'string' },
    'max-sessions': { type: 'string' },
    'max-sessions-per-address': { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
    'client-host': { type: 'string', multiple: true },
    'unreachable-timeout': { type: 'string' },
    'build-viz-if-missing': { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const portText = values.port ?? '3000';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
    throw new UsageError(`serve: --port must be an integer from 0 to 65535 (got "${portText}")`);
  }
  const port = Number(portText);
  const httpsPortText = values['https-port'] ?? String(port === 0 ? 0 : port + 443);
  if (!/^\d+$/.test(httpsPortText) || Number(httpsPortText) > 65535) {
    throw new UsageError(
      `serve: --https-port must be an integer from 0 to 65535 (got "${httpsPortText}"${values['https-port'] === undefined ? `, from --port ${port} + 443; give --https-port` : ''})`,
    );
  }
  const httpsPort = Number(httpsPortText);
  if (httpsPort === port && port !== 0) throw new UsageError(`serve: --https-port must differ from --port (${port})`);
  const host = values.host ?? '127.0.0.1';
  if (host === '') throw new UsageError('serve: --host needs an address, e.g. 127.0.0.1 or 0.0.0.0');
  for (const origin of values['allow-origin'] ?? []) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      throw new UsageError(`serve: --allow-origin must look like http://host:port (got "${origin}")`);
    }
  }
  const idleTimeoutMs = parseIdleTimeout(values['idle-timeout'] ?? '24h');
  const maxSessions = parseCount('--max-sessions', values['max-sessions'] ?? '50');
  const maxSessionsPerAddress = parseCount('--max-sessions-per-address', values['max-sessions-per-address'] ?? '10');
  const allowedHosts = (values['allow-host'] ?? []).flatMap((list) => list.split(',')).map((h) => h.trim());
  for (const name of allowedHosts) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/.test(name)) {
      throw new UsageError(`serve: --allow-host takes host names such as teacher.local (got "${name}")`);
    }
  }
  const clientHosts: Record<string, string> = {};
  for (const pair of values['client-host'] ?? []) {
    const m = /^([^=\s]{1,128})=([A-Za-z0-9._-]{1,64})$/.exec(pair);
    if (!m)
      throw new UsageError(`serve: --client-host takes KEY=HOST, e.g. AKIAEXAMPLE=bastion or *=laptop (got "${pair}")`);
    clientHosts[m[1] as string] = m[2] as string;
  }
  const unreachableTimeoutMs = parseUnreachableTimeout(values['unreachable-timeout']);
  const scenario = loadScenarioArg(values.scenario);
  const seed = parseSeedArg(values.seed);
  const dataDir = resolve(values['data-dir'] ?? '.eks-sim');

  if (values['build-viz-if-missing'] && !existsSync(resolve(VIZ_DIST, 'index.html'))) buildViz();
  const vizDir = existsSync(resolve(VIZ_DIST, 'index.html')) ? VIZ_DIST : null;

  const warn = (message: string) => process.stderr.write(`eks-sim: warning: ${message}\n`);
  let server: Awaited<ReturnType<typeof buildServer>>;
  try {
    server = await buildServer({
      dataDir,
      idleTimeoutMs,
      maxSessions,
      maxSessionsPerAddress,
      scenario,
      ...(seed === undefined ? {} : { seed }),
      host,
      allowedOrigins: values['allow-origin'] ?? [],
      allowedHosts,
      vizDir,
      tls: true,
      clientHosts,
      unreachableTimeoutMs,
      notice: (message: string) => process.stderr.write(`eks-sim: ${message}\n`),
      logger: values.verbose
        ? {
            level: 'info',
            // The stream's ?token= must not end up in a log file someone may share.
            serializers: {
              req: (req: { method: string; url: string; ip: string }) => ({
                method: req.method,
                url: req.url.replace(/([?&]token=)[^&]*/g, '$1<redacted>'),
                ip: req.ip,
              }),
            },
          }
        : false,
      warn,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) throw new UsageError(`serve: ${error.message}`);
    throw error;
  }
  const { app, defaultSession, restored, https } = server;
  // Listen for signals before anything is printed: a supervisor may stop us as soon as it sees the URL.
  const stopped = new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        process.stderr.write(`eks-sim: ${signal} again; exiting now\n`);
        process.exit(1);
      }
      stopping = true;
      process.stderr.write(`eks-sim: ${signal}: shutting down (journals are saved)\n`);
      app.close().then(
        () => resolveExit(0),
        (error: unknown) => {
          process.stderr.write(`eks-sim: error while shutting down: ${(error as Error).message}\n`);
          resolveExit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  if (restored > 0) {
    process.stderr.write(`eks-sim: restored ${restored} session(s) from ${dataDir}\n`);
    const name = defaultSession.sim.scenario.name;
    if (values.scenario !== undefined && name !== scenario.name) {
      warn(
        `the default session was restored with scenario "${name}", not "${scenario.name}"; delete ${dataDir} (or the session) to start afresh`,
      );
    }
  }
  let actualHttpsPort = httpsPort;
  try {
    await app.listen({ port, host });
    if (https) actualHttpsPort = await https.listen(httpsPort, host);
  } catch (error) {
    const [failed, flag] = app.server.listening ? [httpsPort, '--https-port'] : [port, '--port'];
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(`serve: port ${failed} on ${host} is already in use (try ${flag} 0)`);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`serve: ${host} is not an address of this machine`);
    throw error;
  }
  const address = app.server.address();
  const actualPort = address && typeof address === 'object' ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const base = `http://${shownHost}:${actualPort}`;
  const id = defaultSession.id;
  const token = defaultSession.token;
  const cluster = defaultSession.sim.scenario.cluster.name;
  const lines = [
    `eks-sim is serving ${defaultSession.sim.scenario.name} (seed ${defaultSession.sim.seed}) at ${base}/`,
    `  viewer URL:    ${base}/?session=${id}`,
    `  control URL:   ${base}/?session=${id}&token=${token}`,
    `  control token: ${token}`,
    `  AWS API:       AWS_ACCESS_KEY_ID=${id} AWS_SECRET_ACCESS_KEY=${token} aws eks --region ${defaultSession.sim.scenario.region} --endpoint-url ${base} list-clusters`,
    `  Kubernetes:    https://${shownHost}:${actualHttpsPort} (${cluster}'s API server; CA: ${join(dataDir, 'tls', 'ca.crt')})`,
    `  kubeconfig:    AWS_ACCESS_KEY_ID=${id} AWS_SECRET_ACCESS_KEY=${token} aws eks update-kubeconfig --region ${defaultSession.sim.scenario.region} --name ${cluster} --endpoint-url ${base}`,
    `  journal:       ${dataDir}`,
  ];
  if (vizDir === null)
    lines.push('  page:          not built (run: npx vite build packages/viz); a placeholder is served');
  if (host === '0.0.0.0' || host === '::') {
    lines.push(
      `  warning: listening on every interface: anyone on this network can watch (not change) sessions`,
      ...lanAddresses().map((a) => `  LAN viewer URL: http://${a}:${actualPort}/?session=${id}`),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  return await stopped;
}
