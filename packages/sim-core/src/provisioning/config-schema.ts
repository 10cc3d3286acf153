/** Whether a ClusterConfig is one eksctl accepts (its JSON schema) and one the simulator models (field by field). */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import clusterConfigSchema from './clusterconfig.schema.json';

let compiled: ValidateFunction | undefined;

/** eksctl's schema, compiled once (about 0.2 s) on first use. */
function schemaValidator(): ValidateFunction {
  // The schema carries eksctl's editor hints (x-intellij-html-description, preferredOrder).
  compiled ??= new Ajv({ strict: false, allErrors: true }).compile(clusterConfigSchema);
  return compiled;
}

/** `/managedNodeGroups/0/ssh` → `managedNodeGroups[0].ssh` (eksctl's own way of naming a field). */
export function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function describeSchemaError(error: ErrorObject): string {
  const at = fieldPath(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty: string }).additionalProperty);
    return `json: unknown field "${field}"${at ? ` (in ${at})` : ''}`;
  }
  if (error.keyword === 'type') {
    return `json: cannot unmarshal into field ${at || '(root)'}: ${error.message ?? 'wrong type'}`;
  }
  if (error.keyword === 'required') {
    const field = String((error.params as { missingProperty: string }).missingProperty);
    return `${at ? `${at}.` : ''}${field} must be set`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `${at}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${at || '(root)'}: ${error.message ?? 'is invalid'}`;
}

/** Schema errors as eksctl would word them, or undefined when the document is valid. */
export function checkAgainstSchema(doc: unknown): string[] | undefined {
  const validate = schemaValidator();
  if (validate(doc)) return undefined;
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const error of validate.errors ?? []) {
    // `oneOf`/`anyOf` wrappers repeat their branches' errors; keep the first words of each.
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') continue;
    const text = describeSchemaError(error);
    if (!seen.has(text)) {
      seen.add(text);
      messages.push(text);
    }
  }
  return messages.length ? messages : ['the document does not match eksctl.io/v1alpha5 ClusterConfig'];
}

type Allowed = true | ((value: unknown) => string | undefined) | { readonly [key: string]: Allowed };

const onlyFalse = (value: unknown) => (value === false ? undefined : 'only false is modelled');
const onlyTrue = (value: unknown) => (value === true ? undefined : 'only true is modelled');
const onlyEmpty = (value: unknown) =>
  value === null || (typeof value === 'object' && Object.keys(value as object).length === 0)
    ? undefined
    : 'not modelled';
const onlyNull = (value: unknown) => (value === null || value === undefined ? undefined : 'not modelled');

const NODE_GROUP_FIELDS: { readonly [key: string]: Allowed } = {
  name: true,
  instanceType: true,
  desiredCapacity: true,
  minSize: true,
  maxSize: true,
  volumeSize: true,
  volumeType: (v) => (v === 'gp3' || v === 'gp2' ? undefined : 'only gp3 and gp2 volumes are modelled'),
  volumeIOPS: true,
  volumeThroughput: true,
  privateNetworking: true,
  amiFamily: (v) =>
    v === 'AmazonLinux2' || v === 'AmazonLinux2023' ? undefined : 'only AmazonLinux2 and AmazonLinux2023 are modelled',
  labels: true,
  tags: true,
  disableIMDSv1: true,
  disablePodIMDS: true,
  releaseVersion: (v) => (v === '' || v === undefined ? undefined : 'pinned AMI release versions are not modelled'),
  instanceSelector: onlyEmpty,
  securityGroups: { withShared: onlyNull, withLocal: onlyNull },
  ssh: { allow: true, publicKeyPath: true, publicKeyName: true, publicKey: true, enableSsm: onlyFalse },
  iam: { withAddonPolicies: { externalDNS: true } },
};

/** What the simulator models; everything else in a ClusterConfig is refused by name. */
const MODELLED: { readonly [key: string]: Allowed } = {
  apiVersion: true,
  kind: true,
  metadata: { name: true, region: true, version: true, tags: true },
  availabilityZones: true,
  iam: { withOIDC: true, vpcResourceControllerPolicy: onlyTrue },
  vpc: {
    id: true,
    cidr: true,
    subnets: true,
    clusterEndpoints: { publicAccess: true, privateAccess: true },
    publicAccessCIDRs: true,
    nat: { gateway: true },
    autoAllocateIPv6: onlyFalse,
    manageSharedNodeSecurityGroupRules: onlyTrue,
    hostnameType: true,
  },
  cloudWatch: { clusterLogging: { enableTypes: true } },
  upgradePolicy: { supportType: true },
  kubernetesNetworkConfig: { ipFamily: (v) => (v === 'IPv4' ? undefined : 'only IPv4 is modelled') },
  privateCluster: { enabled: onlyFalse, skipEndpointCreation: onlyFalse },
  managedNodeGroups: NODE_GROUP_FIELDS,
  nodeGroups: NODE_GROUP_FIELDS,
};

const isEmpty = (v: unknown): boolean =>
  v === null ||
  v === false ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/** Paths of the fields the simulator does not model (set to something), with why. */
export function unmodelledFields(doc: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (value: unknown, allowed: Allowed, path: string): void => {
    if (allowed === true) return;
    if (typeof allowed === 'function') {
      const why = allowed(value);
      if (why) found.push(`${path} (${why})`);
      return;
    }
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, allowed, `${path}[${i}]`);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      const rule = allowed[key];
      const childPath = path ? `${path}.${key}` : key;
      if (rule === undefined) {
        // A field left empty or false (a withAddonPolicies flag, `taints: []`) asks for nothing we lack.
        if (isEmpty(child)) continue;
        found.push(childPath);
      } else walk(child, rule, childPath);
    }
  };
  walk(doc, MODELLED, '');
  return found;
}
