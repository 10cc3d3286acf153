#!/usr/bin/env node
/**
 * Starts the `eks-sim` command line from one bundled ESM file, so `pnpm start` does not pay
 * for compiling TypeScript on every start (tsx took 0.7-2.6 s). The bundle lives in the
 * gitignored `packages/server/dist/` and is rebuilt with esbuild when it is missing or when
 * any file that went into it is newer than it. Plain JavaScript so plain `node` runs it.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(REPO_ROOT, 'packages/server/src/cli/main.ts');
// Same depth below the repo root as src/cli/main.ts, so `new URL('../../../..', import.meta.url)`
// in the sources still names the repo root from inside the bundle.
const BUNDLE = join(REPO_ROOT, 'packages/server/dist/cli/eks-sim.mjs');
const INPUTS = join(REPO_ROOT, 'packages/server/dist/cli/eks-sim.inputs.json');
// Changing what is installed changes what gets bundled, without touching any source file.
const ALWAYS_CHECKED = [
  'pnpm-lock.yaml',
  'packages/server/package.json',
  'packages/sim-core/package.json',
  'packages/protocol/package.json',
];

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY; // a deleted input makes the bundle stale
  }
}

function isFresh() {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return false;
  }
  const built = mtimeMs(BUNDLE);
  if (!Number.isFinite(built)) return false;
  return [...inputs, ...ALWAYS_CHECKED].every((input) => mtimeMs(resolve(REPO_ROOT, input)) <= built);
}

async function build() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    write: false,
    metafile: true,
    outfile: BUNDLE,
    absWorkingDir: REPO_ROOT,
    logLevel: 'error',
    // Optional native speed-ups of `ws`, loaded inside try/catch; absent here.
    external: ['bufferutil', 'utf-8-validate'],
    // CommonJS dependencies (fastify, ajv) still call require() inside an ESM bundle.
    banner: {
      js: "import { createRequire as __eksSimCreateRequire } from 'node:module'; const require = __eksSimCreateRequire(import.meta.url);",
    },
  });
  mkdirSync(dirname(BUNDLE), { recursive: true });
  // Written under a temporary name and renamed, so two starts at once never run half a file.
  // The name is per thread, not per process: the campaign's worker threads start through this
  // launcher too, all in one process, and may build at the same moment.
  const writer = `${process.pid}.${threadId}`;
  const tmp = `${BUNDLE}.${writer}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  writeFileSync(`${INPUTS}.${writer}.tmp`, JSON.stringify(Object.keys(result.metafile.inputs)));
  renameSync(`${INPUTS}.${writer}.tmp`, INPUTS);
  renameSync(tmp, BUNDLE);
}

if (!isFresh()) await build();
await import(pathToFileURL(BUNDLE).href);
