import { createHash } from 'node:crypto';
import {
  type ClusterRecord,
  type ClusterUpdate,
  type Command,
  type CommandResult,
  parseJsonBounded,
} from '@eks-sim/sim-core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { awsErrorType, logUnexpected } from './errors';
import { bodyErrorOf } from './json-body';
import type { Session } from './session';
import type { SessionStore } from './session-store';
import { parseSigV4, signatureExpiry, verifySigV4 } from './sigv4';

/**
 * The EKS-compatible subset of the AWS REST API (AWS "Amazon EKS API Reference"):
 * CreateCluster, DescribeCluster, ListClusters, UpdateClusterConfig, UpdateClusterVersion,
 * DescribeUpdate, DeleteCluster, with the API's JSON shapes and its error convention
 * (`x-amzn-errortype` header + `{"message"}` body), so that `@aws-sdk/client-eks` or
 * `aws eks --endpoint-url` work against a session unmodified.
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
}

/** HTTP status of each EKS error code (API reference, "Errors"). */
const ERROR_STATUS: Record<string, number> = {
  ResourceNotFoundException: 404,
  InvalidParameterException: 400,
  InvalidRequestException: 400,
  ResourceInUseException: 409,
  ClientException: 400,
  ServerException: 500,
  AccessDeniedException: 403,
  InvalidSignatureException: 403,
  SerializationException: 400,
  UnknownOperationException: 404,
  RequestEntityTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  ThrottlingException: 429,
  ResourceLimitExceededException: 400,
  UnsupportedAvailabilityZoneException: 400,
  ServiceUnavailableException: 503,
};

class AwsError {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly extra: Record<string, unknown> = {},
  ) {}
}

function sendAwsError(reply: FastifyReply, error: AwsError, status?: number): FastifyReply {
  return reply
    .code(status ?? ERROR_STATUS[error.code] ?? 400)
    .header('x-amzn-errortype', error.code)
    .header('x-amzn-requestid', requestId(`${error.code}${error.message}`))
    .send({ message: error.message, ...error.extra });
}

/** A request id shaped like AWS's (a UUID), stable for the same content. */
function requestId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** sim-core's command error codes, as the EKS API names them. */
function awsErrorOf(result: Extract<CommandResult, { ok: false }>): AwsError {
  if (result.code in ERROR_STATUS) return new AwsError(result.code, result.error);
  if (result.code === 'InternalError') return new AwsError('ServerException', result.error);
  return new AwsError('InvalidParameterException', result.error);
}

const seconds = (ms: number) => ms / 1000;

/** `Cluster` as DescribeCluster returns it. */
export function awsCluster(session: Session, record: ClusterRecord) {
  const snapshot = session.sim.snapshot() as unknown as { network?: { vpcCidr?: string } };
  const id = /^https:\/\/([0-9A-F]+)\./.exec(record.endpoint)?.[1] ?? '';
  const region = session.sim.domains.cluster.region;
  const vpc = record.resourcesVpcConfig;
  return {
    name: record.name,
    arn: record.arn,
    createdAt: seconds(record.createdAtMs),
    version: record.version,
    endpoint: record.endpoint,
    roleArn: record.roleArn,
    resourcesVpcConfig: {
      subnetIds: [...vpc.subnetIds],
      securityGroupIds: [...vpc.securityGroupIds],
      clusterSecurityGroupId: vpc.clusterSecurityGroupId,
      vpcId: vpc.vpcId,
      endpointPublicAccess: vpc.endpointPublicAccess,
      endpointPrivateAccess: vpc.endpointPrivateAccess,
      publicAccessCidrs: [...vpc.publicAccessCidrs],
    },
    // EKS picks the service range that cannot overlap the VPC: 172.20/16 for a 10/8 VPC, else 10.100/16.
    kubernetesNetworkConfig: {
      serviceIpv4Cidr: snapshot.network?.vpcCidr?.startsWith('10.') ? '172.20.0.0/16' : '10.100.0.0/16',
      ipFamily: 'ipv4',
    },
    logging: {
      clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }],
    },
    identity: { oidc: { issuer: `https://oidc.eks.${region}.amazonaws.com/id/${id}` } },
    status: record.status,
    certificateAuthority: {
      data: Buffer.from(
        `-----BEGIN CERTIFICATE-----\neks-sim simulated CA for ${record.name}\n-----END CERTIFICATE-----\n`,
      ).toString('base64'),
    },
    platformVersion: record.platformVersion,
    tags: { ...record.tags },
    health: { issues: [] },
    upgradePolicy: { ...record.upgradePolicy },
  };
}

/** `Update` as DescribeUpdate returns it. */
export function awsUpdate(update: ClusterUpdate) {
  return {
    id: update.id,
    status: update.status,
    type: update.type,
    params: update.params.map((p) => ({ type: p.type, value: p.value })),
    createdAt: seconds(update.createdAtMs),
    errors: update.errors.map((e) => ({ errorCode: e.errorCode, errorMessage: e.errorMessage, resourceIds: [] })),
  };
}

const CLUSTER_NAME = '^[0-9A-Za-z][A-Za-z0-9\\-_]*$';
const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
  required: ['name'],
} as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
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
  }
}

export const awsEksApiPlugin: FastifyPluginAsync<AwsEksApiPluginOptions> = async (app, { store, defaultSessionId }) => {
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
      const code = awsErrorType({ status, error, message: e.message });
      return sendAwsError(reply, new AwsError(code, e.message), status);
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
    return session;
  }

  function clusterOf(session: Session, name: string): ClusterRecord {
    const record = session.sim.domains.cluster.cluster;
    if (!record || record.name !== name) {
      throw new AwsError('ResourceNotFoundException', `No cluster found for name: ${name}.`, { clusterName: name });
    }
    return record;
  }

  /** Applies a command whose fields are filtered to those its spec knows (others' domains grow over time). */
  function run(session: Session, command: Record<string, unknown>): CommandResult {
    const spec = session.sim.commands.find((c) => c.type === command.type);
    if (!spec) throw new AwsError('ServerException', `the simulator has no ${String(command.type)} command yet`);
    const filtered: Record<string, unknown> = { type: command.type };
    for (const [key, value] of Object.entries(command)) {
      if (key !== 'type' && value !== undefined && key in spec.fields) filtered[key] = value;
    }
    const result = session.apply(filtered as unknown as Command);
    if (!result.ok) throw awsErrorOf(result);
    return result;
  }

  /** The update a command just started: its id from the result, else the newest update. */
  function startedUpdate(session: Session, result: CommandResult): ClusterUpdate {
    const data = (result.ok ? result.data : undefined) as { updateId?: string; id?: string } | undefined;
    const id = data?.updateId ?? data?.id;
    const update =
      (id ? session.sim.domains.cluster.findUpdate(id) : undefined) ??
      session.sim.domains.cluster.cluster?.updates.at(-1);
    if (!update) throw new AwsError('ServerException', 'the update was accepted but not recorded');
    return update;
  }

  const send = (reply: FastifyReply, body: unknown) =>
    reply.header('x-amzn-requestid', requestId(JSON.stringify(body))).send(body);

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
      const body = request.body as {
        name: string;
        version?: string;
        roleArn: string;
        resourcesVpcConfig: {
          subnetIds?: string[];
          endpointPublicAccess?: boolean;
          endpointPrivateAccess?: boolean;
          publicAccessCidrs?: string[];
        };
        upgradePolicy?: { supportType?: string };
        tags?: Record<string, string>;
      };
      const vpc = body.resourcesVpcConfig;
      if (vpc.endpointPublicAccess === false && vpc.endpointPrivateAccess !== true) {
        throw new AwsError(
          'InvalidParameterException',
          'Invalid parameter: At least one of endpointPublicAccess or endpointPrivateAccess must be true.',
        );
      }
      run(session, {
        type: 'cluster.create',
        name: body.name,
        // EKS uses its default version when none is given; the simulator's default is the scenario's.
        version: body.version ?? session.sim.scenario.cluster.version,
        endpointPublicAccess: vpc.endpointPublicAccess,
        endpointPrivateAccess: vpc.endpointPrivateAccess,
        publicAccessCidrs: vpc.publicAccessCidrs,
        supportType: body.upgradePolicy?.supportType,
        roleArn: body.roleArn,
        tags: body.tags,
        subnetIds: vpc.subnetIds,
      });
      return send(reply, { cluster: awsCluster(session, clusterOf(session, body.name)) });
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
    async (request, reply) => {
      const session = sessionOf(request, false);
      const record = session.sim.domains.cluster.cluster;
      return send(reply, { clusters: record ? [record.name] : [] });
    },
  );

  app.get(
    '/clusters/:name',
    { schema: { params: nameParams, response: { 200: { type: 'object', properties: { cluster: anyObject } } } } },
    async (request, reply) => {
      const session = sessionOf(request, false);
      const { name } = request.params as { name: string };
      return send(reply, { cluster: awsCluster(session, clusterOf(session, name)) });
    },
  );

  app.delete(
    '/clusters/:name',
    { schema: { params: nameParams, response: { 200: { type: 'object', properties: { cluster: anyObject } } } } },
    async (request, reply) => {
      const session = sessionOf(request, true);
      const { name } = request.params as { name: string };
      clusterOf(session, name);
      run(session, { type: 'cluster.delete', name });
      return send(reply, { cluster: awsCluster(session, clusterOf(session, name)) });
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
      const session = sessionOf(request, true);
      const { name } = request.params as { name: string };
      clusterOf(session, name);
      const body = request.body as {
        resourcesVpcConfig?: {
          endpointPublicAccess?: boolean;
          endpointPrivateAccess?: boolean;
          publicAccessCidrs?: string[];
          subnetIds?: string[];
          securityGroupIds?: string[];
        };
        upgradePolicy?: { supportType: string };
        logging?: unknown;
      };
      const vpc = body.resourcesVpcConfig;
      const changes = [vpc, body.upgradePolicy, body.logging].filter((x) => x !== undefined).length;
      if (changes !== 1) {
        throw new AwsError(
          'InvalidParameterException',
          changes === 0
            ? 'Invalid parameter: give one of resourcesVpcConfig, upgradePolicy or logging to update'
            : 'Only one type of update can be allowed.',
        );
      }
      if (body.logging !== undefined) {
        throw new AwsError('InvalidParameterException', 'eks-sim does not simulate control plane logging updates');
      }
      let result: CommandResult;
      if (vpc) {
        if (vpc.subnetIds !== undefined || vpc.securityGroupIds !== undefined) {
          throw new AwsError(
            'InvalidParameterException',
            'eks-sim simulates endpoint access updates only (not subnets or security groups)',
          );
        }
        result = run(session, {
          type: 'endpoint.update',
          name,
          cluster: name,
          public: vpc.endpointPublicAccess,
          private: vpc.endpointPrivateAccess,
          publicAccessCidrs: vpc.publicAccessCidrs,
        });
      } else {
        result = run(session, {
          type: 'cluster.update-upgrade-policy',
          name,
          supportType: body.upgradePolicy?.supportType,
        });
      }
      return send(reply, { update: awsUpdate(startedUpdate(session, result)) });
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
      const session = sessionOf(request, true);
      const { name } = request.params as { name: string };
      const { version } = request.body as { version: string };
      clusterOf(session, name);
      const result = run(session, { type: 'cluster.update-version', name, version });
      return send(reply, { update: awsUpdate(startedUpdate(session, result)) });
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
      const session = sessionOf(request, false);
      const { name, updateId } = request.params as { name: string; updateId: string };
      clusterOf(session, name);
      const update = session.sim.domains.cluster.findUpdate(updateId);
      if (!update) {
        throw new AwsError('ResourceNotFoundException', `No update found for ID: ${updateId}`, { clusterName: name });
      }
      return send(reply, { update: awsUpdate(update) });
    },
  );
};
