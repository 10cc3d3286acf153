import {
  ANONYMOUS,
  authorize,
  creatorIdentity,
  identityOf,
  rejectedIdentity,
  requestVerb,
  viewerIdentity,
} from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const creator = creatorIdentity('default');
const viewer = viewerIdentity('AKIAEXAMPLESTUDENT01');

describe('who may do what on the simulated API server (authorize)', () => {
  it('a rejected token is 401 everywhere, even on /version', () => {
    expect(authorize(rejectedIdentity('bad'), 'get', '/version')).toMatchObject({ code: 401, reason: 'Unauthorized' });
  });

  it('anonymous may read only /version and the health checks, as system:public-info-viewer', () => {
    for (const path of ['/version', '/healthz', '/livez', '/readyz'])
      expect(authorize(ANONYMOUS, 'get', path)).toBeNull();
    expect(authorize(ANONYMOUS, 'get', '/api')?.message).toBe(
      'forbidden: User "system:anonymous" cannot get path "/api"',
    );
    expect(authorize(ANONYMOUS, 'watch', '/api/v1/nodes')?.message).toBe(
      'nodes is forbidden: User "system:anonymous" cannot watch resource "nodes" in API group "" at the cluster scope',
    );
  });

  it('the creator (cluster-admin) may read and write anything', () => {
    for (const verb of ['get', 'list', 'watch', 'create', 'patch', 'delete'] as const) {
      expect(authorize(creator, verb, '/api/v1/nodes/ip-10-0-1-1.ec2.internal')).toBeNull();
    }
    expect(authorize(creator, 'list', '/api/v1/namespaces/kube-system/secrets')).toBeNull();
  });

  it('a viewer reads everything but Secrets and writes nothing, told so in RBAC words', () => {
    expect(authorize(viewer, 'list', '/api/v1/namespaces/kube-system/pods')).toBeNull();
    expect(authorize(viewer, 'get', '/apis/apps/v1/namespaces/kube-system/deployments/coredns')).toBeNull();
    expect(authorize(viewer, 'get', '/api')).toBeNull();
    expect(requestVerb('GET', '/version')).toBe('get');
    expect(authorize(viewer, 'list', '/api/v1/namespaces/kube-system/secrets')?.message).toBe(
      'secrets is forbidden: User "arn:aws:iam::111122223333:user/AKIAEXAMPLESTUDENT01" cannot list resource "secrets" in API group "" in the namespace "kube-system"',
    );
    expect(authorize(viewer, 'patch', '/api/v1/nodes/ip-10-0-1-1.ec2.internal')).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'nodes "ip-10-0-1-1.ec2.internal" is forbidden: User "arn:aws:iam::111122223333:user/AKIAEXAMPLESTUDENT01" cannot patch resource "nodes" in API group "" at the cluster scope',
    });
    expect(authorize(viewer, 'update', '/apis/apps/v1/namespaces/kube-system/deployments/coredns/scale')?.code).toBe(
      403,
    );
  });

  it('the verb of a request comes from its method, its path and ?watch', () => {
    expect(requestVerb('GET', '/api/v1/nodes?limit=500')).toBe('list');
    expect(requestVerb('GET', '/api/v1/nodes/n1')).toBe('get');
    expect(requestVerb('GET', '/api/v1/nodes?watch=true&resourceVersion=1')).toBe('watch');
    expect(requestVerb('PATCH', '/api/v1/nodes/n1')).toBe('patch');
    expect(requestVerb('POST', '/api/v1/namespaces/default/pods')).toBe('create');
    expect(requestVerb('PUT', '/apis/apps/v1/namespaces/kube-system/deployments/coredns/scale')).toBe('update');
    expect(requestVerb('DELETE', '/api/v1/namespaces/default/pods')).toBe('deletecollection');
    expect(requestVerb('DELETE', '/api/v1/namespaces/default/pods/p')).toBe('delete');
  });

  it('on a non-resource URL the verb is the HTTP method in lower case, as the 403 says it', () => {
    expect(requestVerb('POST', '/foo')).toBe('post');
    expect(requestVerb('PUT', '/foo')).toBe('put');
    expect(requestVerb('DELETE', '/foo')).toBe('delete');
    expect(requestVerb('GET', '/version')).toBe('get');
    expect(authorize(ANONYMOUS, requestVerb('POST', '/foo'), '/foo')?.message).toBe(
      'forbidden: User "system:anonymous" cannot post path "/foo"',
    );
    expect(authorize(ANONYMOUS, requestVerb('DELETE', '/foo'), '/foo')?.message).toBe(
      'forbidden: User "system:anonymous" cannot delete path "/foo"',
    );
    expect(authorize(ANONYMOUS, requestVerb('GET', '/'), '/')?.message).toBe(
      'forbidden: User "system:anonymous" cannot get path "/"',
    );
  });

  it('inside the simulated shell a token of EKS form is the lab user (the creator); another is rejected', () => {
    expect(identityOf(undefined)).toEqual(ANONYMOUS);
    expect(identityOf('Bearer k8s-aws-v1.aHR0cHM6Ly9zdHM')).toMatchObject({ kind: 'user', access: 'cluster-admin' });
    expect(identityOf('Bearer abc').kind).toBe('rejected');
  });
});
