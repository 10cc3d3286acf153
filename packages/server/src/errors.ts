import { EKS_ERROR_TEXT, kubeStatus } from '@eks-sim/sim-core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * One error shape per surface (docs/api.md, "Limits and failure behaviour"):
 * - `/api` and the page: `{ error, message }`;
 * - the AWS API (`/clusters…`): an `x-amzn-errortype` header and `{ message }`, which the AWS
 *   SDKs and CLI read as the error's name (AWS "Amazon EKS API Reference", "Common Errors");
 * - `/k8s`: a Kubernetes `Status` object, which kubectl and client-go print.
 * Errors raised before a route is known (unknown path, bad URL, body too large, rate limit,
 * Host refused) are answered here, by the path's surface.
 */
export type Surface = 'api' | 'aws' | 'k8s';

/** The EKS API's paths (botocore's eks model): `/clusters…`, `/addons/…` (DescribeAddonVersions), `/tags/…`. */
export function isAwsPath(path: string): boolean {
  return path === '/clusters' || ['/clusters/', '/addons/', '/tags/'].some((prefix) => path.startsWith(prefix));
}

export function surfaceOf(url: string): Surface {
  const path = url.split('?', 1)[0] as string;
  if (isAwsPath(path)) return 'aws';
  if (path === '/k8s' || path.startsWith('/k8s/')) return 'k8s';
  return 'api';
}

/** A client error in the words of `/api` (`InvalidJSON`, `PayloadTooLarge`, …) and its HTTP status. */
export interface ClientProblem {
  readonly status: number;
  readonly error: string;
  readonly message: string;
}

/** What the AWS API calls each `/api` error name; anything else 4xx is a bad parameter. */
const AWS_ERROR_TYPE: Record<string, string> = {
  InvalidJSON: 'SerializationException',
  InputTooLarge: 'InvalidParameterException',
  PayloadTooLarge: 'RequestEntityTooLargeException',
  UnsupportedMediaType: 'UnsupportedMediaTypeException',
  NotFound: 'UnknownOperationException',
  TooManyRequests: 'ThrottlingException',
  HostNotAllowed: 'AccessDeniedException',
  InternalError: 'ServerException',
};

/**
 * Sends a `Status` with the headers kube-apiserver sends, so that kubectl prints its message.
 * Sent as a Buffer: fastify appends `; charset=utf-8` to a string's content type, and
 * kube-apiserver (hence EKS) says exactly `application/json`.
 */
export function sendK8sStatus(reply: FastifyReply, body: { code: number }, extra: Record<string, unknown> = {}) {
  return reply
    .code(body.code)
    .header('content-type', 'application/json')
    .header('x-content-type-options', 'nosniff')
    .send(Buffer.from(JSON.stringify({ ...body, ...extra })));
}

/** The `x-amzn-errortype` of an `/api` error name. */
export const awsErrorType = (problem: ClientProblem): string =>
  AWS_ERROR_TYPE[problem.error] ?? (problem.status >= 500 ? 'ServerException' : 'InvalidParameterException');

/** Sends `problem` in the shape of the request's surface. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ClientProblem): FastifyReply {
  switch (surfaceOf(request.url)) {
    case 'aws': {
      // A path the EKS API has no operation for is AWS's unknown operation, with a word on where the list is.
      const message =
        problem.error === 'NotFound'
          ? EKS_ERROR_TEXT.unknownOperation(request.method, request.url.split('?', 1)[0] as string)
          : problem.message;
      return reply.code(problem.status).header('x-amzn-errortype', awsErrorType(problem)).send({ message });
    }
    case 'k8s':
      return sendK8sStatus(reply, kubeStatus(problem.status, problem.message));
    case 'api':
      return reply.code(problem.status).send({ error: problem.error, message: problem.message });
  }
}

/** What every client is told when the server itself failed; the detail goes to stderr only. */
export const INTERNAL_ERROR: ClientProblem = {
  status: 500,
  error: 'InternalError',
  message: 'the server failed on this request; the details are in its log',
};

/**
 * Reports an unexpected error (a bug) once, with its stack, on stderr, and never to a client:
 * internal messages ("Maximum call stack size exceeded") mean nothing to a student and may
 * reveal the server's insides.
 */
export function logUnexpected(where: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  process.stderr.write(`eks-sim: unexpected error in ${where}: ${detail}\n`);
}
