import { createHash } from 'node:crypto';
import {
  type CreateAddonRequest,
  type CreateClusterRequest,
  type CreateNodegroupRequest,
  type EksAnswer,
  type EksApi,
  type EksErrorCode,
  eksApi,
  eksError,
  parseJsonBounded,
  type UpdateClusterConfigRequest,
} from '@eks-sim/sim-core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiServerTls } from './api-server-tls';
import { awsErrorType, logUnexpected } from './errors';
import { bodyErrorOf } from './json-body';
import type { Session } from './session';
import type { SessionStore } from './session-store';
import { parseSigV4, signatureExpiry, verifySigV4 } from './sigv4';

/**
 * The EKS-compatible subset of the AWS REST API (AWS "Amazon EKS API Reference"; docs/api.md
 * lists the operations: clusters, updates, node groups, add-ons, tags), with the API's JSON
 * shapes, paths as botocore's eks model names them, and its error convention
 * (`x-amzn-errortype` header + `{"message"}` body), so that `@aws-sdk/client-eks` or
 * `aws eks --endpoint-url` work against a session unmodified. The answers (shapes, errors,
 * EKS's messages) are sim-core's answer layer, the same the shell's `aws eks` prints; this
 * plugin only routes, checks signatures and writes HTTP.
 *
 * Which session: the SigV4 access key id names it (`AWS_ACCESS_KEY_ID=<session id>`); any
 * other key acts on the default session. Reads accept any signature, unchecked. Calls that
 * change the session must be signed with its control token as the secret access key
 * (`AWS_SECRET_ACCESS_KEY=<token>`), the same rule as `Authorization: Bearer` on /api.
 * Every change goes through a sim-core command, so it is journalled and replayed like any other.
 */
export interface AwsEksApiPluginOptions {
  readonly store: SessionStore;
  readonly defaultSessionId: string;
  /**
   * Where a real client reaches a cluster's API server (the server's HTTPS endpoint) and the CA
   * it trusts: a Cluster's `endpoint` and `certificateAuthority.data` are these (api-server-tls.ts).
   */
  readonly apiServerOf?: ApiServerTls['apiServerOf'];
}

/** An EKS error thrown out of a handler (or the body parser) and sent by the error handler. */
class AwsError {
  readonly code: EksErrorCode;
  readonly status: number;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
  constructor(code: EksErrorCode, message: string, status?: number) {
    const error = eksError(code, message);
    this.code = error.code;
    this.status = status ?? error.status;
    this.message = error.message;
    this.fields = {};
  }
}

function sendAwsError(
  reply: FastifyReply,
  error: { code: string; status: number; message: string; fields?: Readonly<Record<string, unknown>> },
): FastifyReply {
  return reply
    .code(error.status)
    .header('x-amzn-errortype', error.code)
    .header('x-amzn-requestid', requestId(`${error.code}${error.message}`))
    .send({ message: error.message, ...error.fields });
}

/** A request id shaped like AWS's (a UUID), stable for the same content. */
function requestId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The session's EKS API: answers from sim-core's answer layer, changes journalled by the session. */
function apiOf(session: Session): EksApi {
  return eksApi({
    model: session.sim.domains,
    apply: (command) => session.apply(command),
    now: () => session.sim.now(),
  });
}

const CLUSTER_NAME = '^[0-9A-Za-z][A-Za-z0-9\\-_]*$';
const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
  required: ['name'],
} as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const pageQuery = {
  maxResults: { type: 'integer', minimum: 1, maximum: 100 },
  nextToken: { type: 'string' },
} as const;
const stringList = { type: 'array', items: { type: 'string', maxLength: 256 }, maxItems: 100 } as const;
const tagMap = { type: 'object', additionalProperties: { type: 'string', maxLength: 256 } } as const;
const nodegroupParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 100 }, nodegroupName: { type: 'string', maxLength: 100 } },
  required: ['name', 'nodegroupName'],
} as const;
const addonParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 100 }, addonName: { type: 'string', maxLength: 100 } },
  required: ['name', 'addonName'],
} as const;
const arnParams = {
  type: 'object',
  properties: { resourceArn: { type: 'string', minLength: 1, maxLength: 1011 } },
  required: ['resourceArn'],
} as const;
const ok200 = (key: string) => ({ 200: { type: 'object', properties: { [key]: anyObject } } });
const vpcConfigRequest = {
  type: 'object',
  properties: {
    subnetIds: { type: 'array', items: { type: 'string' } },
    securityGroupIds: { type: 'array', items: { type: 'string' } },
    endpointPublicAccess: { type: 'boolean' },
    endpointPrivateAccess: { type: 'boolean' },
    publicAccessCidrs: { type: 'array', items: { type: 'string' } },
  },
} as const;

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received, for checking a SigV4 signature over it. */
    rawBody?: string;
    /** The session the AWS API call acts on, once `sessionOf` has found it. */
    eksSession?: Session;
  }
}

export const awsEksApiPlugin: FastifyPluginAsync<AwsEksApiPluginOptions> = async (
  app,
  { store, defaultSessionId, apiServerOf },
) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    if (body === '') return done(null, {});
    const parsed = parseJsonBounded(body as string);
    if (parsed.ok) return done(null, parsed.value);
    const refused = bodyErrorOf(parsed.problem);
    const code = refused.error === 'InvalidJSON' ? 'SerializationException' : 'InvalidParameterException';
    done(new AwsError(code, refused.message) as unknown as Error);
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AwsError) return sendAwsError(reply, error);
    const e = error as {
      validation?: unknown;
      statusCode?: number;
      code?: string;
      message: string;
      validationContext?: string;
    };
    if (e.validation) {
      return sendAwsError(
        reply,
        new AwsError(
          'InvalidParameterException',
          `${e.validationContext ? `${e.validationContext}: ` : ''}${e.message}`,
        ),
      );
    }
    const status = e.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const error =
        e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'PayloadTooLarge' : status === 415 ? 'UnsupportedMediaType' : '';
      const code = awsErrorType({ status, error, message: e.message }) as EksErrorCode;
      return sendAwsError(reply, new AwsError(code, e.message, status));
    }
    logUnexpected(`${request.method} ${request.url.split('?')[0]}`, error);
    return sendAwsError(
      reply,
      new AwsError('ServerException', 'the simulator failed on this request; see the server log'),
    );
  });

  /** The session the access key id names (else the default), and whether the call may change it. */
  function sessionOf(request: FastifyRequest, changes: boolean): Session {
    const credential = parseSigV4(request.headers.authorization);
    if (credential) {
      const expired = signatureExpiry(request.headers['x-amz-date'], Date.now());
      if (expired) throw new AwsError('InvalidSignatureException', expired);
    }
    const named = credential ? store.get(credential.accessKeyId) : undefined;
    const session = named ?? store.get(defaultSessionId);
    if (!session)
      throw new AwsError('ResourceNotFoundException', 'no session to act on (the default session was deleted)');
    if (changes) {
      const signed =
        credential !== undefined &&
        verifySigV4(
          { method: request.method, url: request.url, headers: request.headers, body: request.rawBody ?? '' },
          credential,
          session.token,
        );
      if (!signed) {
        throw new AwsError(
          'AccessDeniedException',
          `changing session "${session.id}" needs its control token: sign with AWS_ACCESS_KEY_ID=${session.id} and AWS_SECRET_ACCESS_KEY=<control token>; other credentials may only read`,
        );
      }
    }
    request.eksSession = session;
    return session;
  }

  /** A Cluster as a client outside the simulation must see it: with the endpoint and CA it can reach. */
  const reachableCluster = <T>(request: FastifyRequest, body: T): T => {
    const cluster = (body as { cluster?: { name: string; endpoint?: string; certificateAuthority?: object } }).cluster;
    const session = request.eksSession;
    if (!apiServerOf || !session || !cluster?.endpoint) return body;
    const address = apiServerOf(request, session.id, cluster.name);
    if (!address) return body;
    return {
      ...body,
      cluster: {
        ...cluster,
        endpoint: address.endpoint,
        certificateAuthority: { data: address.certificateAuthorityData },
      },
    };
  };

  /** Sends an answer: the document with AWS's request id header, or the EKS error. */
  const send = <T>(reply: FastifyReply, answer: EksAnswer<T>) =>
    answer.ok
      ? reply
          .header('x-amzn-requestid', requestId(JSON.stringify(answer.body)))
          .send(reachableCluster(reply.request, answer.body))
      : sendAwsError(reply, answer.error);

  app.post(
    '/clusters',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100, pattern: CLUSTER_NAME },
            version: { type: 'string', maxLength: 16 },
            roleArn: { type: 'string', maxLength: 2048 },
            resourcesVpcConfig: vpcConfigRequest,
            upgradePolicy: { type: 'object', properties: { supportType: { enum: ['STANDARD', 'EXTENDED'] } } },
            tags: { type: 'object', additionalProperties: { type: 'string' } },
            clientRequestToken: { type: 'string' },
          },
          required: ['name', 'roleArn', 'resourcesVpcConfig'],
        },
        response: { 200: { type: 'object', properties: { cluster: anyObject } } },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request, true);
      return send(reply, apiOf(session).createCluster(request.body as CreateClusterRequest));
    },
  );

  app.get(
    '/clusters',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            maxResults: { type: 'integer', minimum: 1, maximum: 100 },
            nextToken: { type: 'string' },
            include: { type: 'string' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { clusters: { type: 'array', items: { type: 'string' } }, nextToken: { type: 'string' } },
          },
        },
      },
    },
    async (request, reply) => send(reply, apiOf(sessionOf(request, false)).listClusters()),
  );

  app.get(
    '/clusters/:name',
    { schema: { params: nameParams, response: { 200: { type: 'object', properties: { cluster: anyObject } } } } },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      return send(reply, apiOf(sessionOf(request, false)).describeCluster(name));
    },
  );

  app.delete(
    '/clusters/:name',
    { schema: { params: nameParams, response: { 200: { type: 'object', properties: { cluster: anyObject } } } } },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      return send(reply, apiOf(sessionOf(request, true)).deleteCluster(name));
    },
  );

  app.get(
    '/clusters/:name/node-groups',
    {
      schema: {
        params: nameParams,
        querystring: {
          type: 'object',
          properties: { maxResults: { type: 'integer', minimum: 1, maximum: 100 }, nextToken: { type: 'string' } },
        },
        response: {
          200: {
            type: 'object',
            properties: { nodegroups: { type: 'array', items: { type: 'string' } }, nextToken: { type: 'string' } },
          },
        },
      },
    },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      return send(reply, apiOf(sessionOf(request, false)).listNodegroups(name));
    },
  );

  app.get(
    '/clusters/:name/node-groups/:nodegroupName',
    {
      schema: {
        params: {
          type: 'object',
          properties: {
            name: { type: 'string', maxLength: 100 },
            nodegroupName: { type: 'string', maxLength: 100 },
          },
          required: ['name', 'nodegroupName'],
        },
        response: { 200: { type: 'object', properties: { nodegroup: anyObject } } },
      },
    },
    async (request, reply) => {
      const { name, nodegroupName } = request.params as { name: string; nodegroupName: string };
      return send(reply, apiOf(sessionOf(request, false)).describeNodegroup(name, nodegroupName));
    },
  );

  app.post(
    '/clusters/:name/update-config',
    {
      schema: {
        params: nameParams,
        body: {
          type: 'object',
          properties: {
            resourcesVpcConfig: vpcConfigRequest,
            upgradePolicy: {
              type: 'object',
              properties: { supportType: { enum: ['STANDARD', 'EXTENDED'] } },
              required: ['supportType'],
            },
            logging: anyObject,
            clientRequestToken: { type: 'string' },
          },
        },
        response: { 200: { type: 'object', properties: { update: anyObject } } },
      },
    },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      return send(
        reply,
        apiOf(sessionOf(request, true)).updateClusterConfig(name, request.body as UpdateClusterConfigRequest),
      );
    },
  );

  app.post(
    '/clusters/:name/updates',
    {
      schema: {
        params: nameParams,
        body: {
          type: 'object',
          properties: {
            version: { type: 'string', minLength: 1, maxLength: 16 },
            clientRequestToken: { type: 'string' },
            force: { type: 'boolean' },
          },
          required: ['version'],
        },
        response: { 200: { type: 'object', properties: { update: anyObject } } },
      },
    },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      const { version } = request.body as { version: string };
      return send(reply, apiOf(sessionOf(request, true)).updateClusterVersion(name, version));
    },
  );

  app.get(
    '/clusters/:name/updates/:updateId',
    {
      schema: {
        params: {
          type: 'object',
          properties: { name: { type: 'string', maxLength: 100 }, updateId: { type: 'string', maxLength: 100 } },
          required: ['name', 'updateId'],
        },
        querystring: {
          type: 'object',
          properties: { nodegroupName: { type: 'string' }, addonName: { type: 'string' } },
        },
        response: { 200: { type: 'object', properties: { update: anyObject } } },
      },
    },
    async (request, reply) => {
      const { name, updateId } = request.params as { name: string; updateId: string };
      const scope = request.query as { nodegroupName?: string; addonName?: string };
      return send(reply, apiOf(sessionOf(request, false)).describeUpdate(name, updateId, scope));
    },
  );

  app.get(
    '/clusters/:name/updates',
    {
      schema: {
        params: nameParams,
        querystring: {
          type: 'object',
          properties: { nodegroupName: { type: 'string' }, addonName: { type: 'string' }, ...pageQuery },
        },
        response: {
          200: {
            type: 'object',
            properties: { updateIds: { type: 'array', items: { type: 'string' } }, nextToken: { type: 'string' } },
          },
        },
      },
    },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      const scope = request.query as { nodegroupName?: string; addonName?: string };
      return send(reply, apiOf(sessionOf(request, false)).listUpdates(name, scope));
    },
  );

  app.post(
    '/clusters/:name/node-groups',
    {
      schema: {
        params: nameParams,
        body: {
          type: 'object',
          properties: {
            nodegroupName: { type: 'string', minLength: 1, maxLength: 63, pattern: CLUSTER_NAME },
            subnets: stringList,
            nodeRole: { type: 'string', maxLength: 2048 },
            scalingConfig: {
              type: 'object',
              properties: {
                minSize: { type: 'integer', minimum: 0 },
                maxSize: { type: 'integer', minimum: 1 },
                desiredSize: { type: 'integer', minimum: 0 },
              },
            },
            instanceTypes: stringList,
            diskSize: { type: 'integer', minimum: 1 },
            version: { type: 'string', maxLength: 16 },
            tags: tagMap,
            clientRequestToken: { type: 'string' },
          },
          required: ['nodegroupName', 'subnets', 'nodeRole'],
        },
        response: ok200('nodegroup'),
      },
    },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      return send(reply, apiOf(sessionOf(request, true)).createNodegroup(name, request.body as CreateNodegroupRequest));
    },
  );

  app.delete(
    '/clusters/:name/node-groups/:nodegroupName',
    { schema: { params: nodegroupParams, response: ok200('nodegroup') } },
    async (request, reply) => {
      const { name, nodegroupName } = request.params as { name: string; nodegroupName: string };
      return send(reply, apiOf(sessionOf(request, true)).deleteNodegroup(name, nodegroupName));
    },
  );

  app.post(
    '/clusters/:name/node-groups/:nodegroupName/update-version',
    {
      schema: {
        params: nodegroupParams,
        body: {
          type: 'object',
          properties: {
            version: { type: 'string', maxLength: 16 },
            releaseVersion: { type: 'string' },
            force: { type: 'boolean' },
            clientRequestToken: { type: 'string' },
          },
        },
        response: ok200('update'),
      },
    },
    async (request, reply) => {
      const { name, nodegroupName } = request.params as { name: string; nodegroupName: string };
      const { version } = (request.body ?? {}) as { version?: string };
      return send(reply, apiOf(sessionOf(request, true)).updateNodegroupVersion(name, nodegroupName, version));
    },
  );

  app.get(
    '/clusters/:name/addons',
    {
      schema: {
        params: nameParams,
        querystring: { type: 'object', properties: pageQuery },
        response: {
          200: {
            type: 'object',
            properties: { addons: { type: 'array', items: { type: 'string' } }, nextToken: { type: 'string' } },
          },
        },
      },
    },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      return send(reply, apiOf(sessionOf(request, false)).listAddons(name));
    },
  );

  app.get(
    '/clusters/:name/addons/:addonName',
    { schema: { params: addonParams, response: ok200('addon') } },
    async (request, reply) => {
      const { name, addonName } = request.params as { name: string; addonName: string };
      return send(reply, apiOf(sessionOf(request, false)).describeAddon(name, addonName));
    },
  );

  app.post(
    '/clusters/:name/addons',
    {
      schema: {
        params: nameParams,
        body: {
          type: 'object',
          properties: {
            addonName: { type: 'string', minLength: 1, maxLength: 100 },
            addonVersion: { type: 'string', maxLength: 100 },
            serviceAccountRoleArn: { type: 'string', maxLength: 2048 },
            resolveConflicts: { type: 'string' },
            configurationValues: { type: 'string' },
            tags: tagMap,
            clientRequestToken: { type: 'string' },
          },
          required: ['addonName'],
        },
        response: ok200('addon'),
      },
    },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      return send(reply, apiOf(sessionOf(request, true)).createAddon(name, request.body as CreateAddonRequest));
    },
  );

  app.delete(
    '/clusters/:name/addons/:addonName',
    { schema: { params: addonParams, response: ok200('addon') } },
    async (request, reply) => {
      const { name, addonName } = request.params as { name: string; addonName: string };
      return send(reply, apiOf(sessionOf(request, true)).deleteAddon(name, addonName));
    },
  );

  app.get(
    '/addons/supported-versions',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            addonName: { type: 'string', maxLength: 100 },
            kubernetesVersion: { type: 'string', maxLength: 16 },
            types: { type: 'array', items: { type: 'string' } },
            publishers: { type: 'array', items: { type: 'string' } },
            owners: { type: 'array', items: { type: 'string' } },
            ...pageQuery,
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { addons: { type: 'array', items: anyObject }, nextToken: { type: 'string' } },
          },
        },
      },
    },
    async (request, reply) => {
      const query = request.query as { addonName?: string; kubernetesVersion?: string };
      return send(reply, apiOf(sessionOf(request, false)).describeAddonVersions(query));
    },
  );

  app.get(
    '/tags/:resourceArn',
    {
      schema: {
        params: arnParams,
        response: { 200: { type: 'object', properties: { tags: { type: 'object', additionalProperties: true } } } },
      },
    },
    async (request, reply) => {
      const { resourceArn } = request.params as { resourceArn: string };
      return send(reply, apiOf(sessionOf(request, false)).listTagsForResource(resourceArn));
    },
  );

  app.post(
    '/tags/:resourceArn',
    {
      schema: {
        params: arnParams,
        body: { type: 'object', properties: { tags: tagMap }, required: ['tags'] },
      },
    },
    async (request, reply) => {
      const { resourceArn } = request.params as { resourceArn: string };
      const { tags } = request.body as { tags: Record<string, string> };
      return send(reply, apiOf(sessionOf(request, true)).tagResource(resourceArn, tags));
    },
  );

  app.delete(
    '/tags/:resourceArn',
    {
      schema: {
        params: arnParams,
        querystring: { type: 'object', properties: { tagKeys: stringList }, required: ['tagKeys'] },
      },
    },
    async (request, reply) => {
      const { resourceArn } = request.params as { resourceArn: string };
      const { tagKeys } = request.query as { tagKeys: string[] };
      return send(reply, apiOf(sessionOf(request, true)).untagResource(resourceArn, tagKeys));
    },
  );
};
