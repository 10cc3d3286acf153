import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { isAwsPath, sendProblem } from './errors';

export interface StaticPluginOptions {
  /** The built viz (`packages/viz/dist`), or null when it is not built. */
  readonly root: string | null;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths other plugins answer; the page never shadows them. */
const API_PREFIXES = ['/api/', '/k8s/'];

const PLACEHOLDER = `<!doctype html>
<meta charset="utf-8"><title>eks-sim</title>
<h1>eks-sim is running</h1>
<p>The page is not built (or is being rebuilt): run <code>npx vite build packages/viz</code>, or start with <code>pnpm start</code>, which builds it; then reload.</p>
<p>Meanwhile: <a href="/api/health">/api/health</a>, <a href="/api/sessions">/api/sessions</a>, <a href="/api/scenarios">/api/scenarios</a>.</p>
`;

/** Serves the built viz at `/`: files from one folder, nothing outside it. */
export const staticPlugin: FastifyPluginAsync<StaticPluginOptions> = async (app, { root }) => {
  const base = root === null ? null : resolve(root);

  app.get(
    '/*',
    {
      schema: {
        params: { type: 'object', properties: { '*': { type: 'string', maxLength: 1024 } } },
      },
    },
    async (request, reply) => {
      const urlPath = request.url.split('?')[0] as string;
      if (API_PREFIXES.some((p) => urlPath.startsWith(p)) || isAwsPath(urlPath)) {
        return sendProblem(request, reply, {
          status: 404,
          error: 'NotFound',
          message: `no route ${request.method} ${urlPath}`,
        });
      }
      if (base === null) {
        if (urlPath === '/' || urlPath === '/index.html')
          return reply.type('text/html; charset=utf-8').send(PLACEHOLDER);
        return reply.code(404).send({ error: 'NotFound', message: `no file ${urlPath} (the page is not built)` });
      }
      let relative: string;
      try {
        relative = decodeURIComponent(urlPath);
      } catch {
        return reply.code(400).send({ error: 'BadRequest', message: 'the path is not valid percent-encoding' });
      }
      if (relative.includes('\0')) return reply.code(400).send({ error: 'BadRequest', message: 'bad path' });
      if (relative.endsWith('/')) relative += 'index.html';
      const file = resolve(join(base, normalize(relative)));
      if (file !== base && !file.startsWith(base + sep)) {
        return reply.code(404).send({ error: 'NotFound', message: `no file ${urlPath}` });
      }
      try {
        if (!(await stat(file)).isFile()) throw new Error('not a file');
      } catch {
        // The page vanished (a rebuild empties dist/ for a moment): explain rather than 404.
        if (urlPath === '/' || urlPath === '/index.html')
          return reply.type('text/html; charset=utf-8').send(PLACEHOLDER);
        return reply.code(404).send({ error: 'NotFound', message: `no file ${urlPath}` });
      }
      const body = await readFile(file);
      reply.header('x-content-type-options', 'nosniff');
      // Vite names built assets by content hash: they never change, the page itself may.
      reply.header(
        'cache-control',
        urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      return reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').send(body);
    },
  );
};
