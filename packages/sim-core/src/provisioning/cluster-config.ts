import { versionsOffered } from '../versions/calendar';
import { checkAgainstSchema, unmodelledFields } from './config-schema';
import { eksctlRelease } from './facts';
import { refuseInstanceType } from './instance-types';
import type { ClusterPlan, NodeGroupPlan, SubnetRef } from './plan';

/** What the config is checked against: the simulation's region and network. */
/**
 * eksctl refuses both endpoint accesses off itself, before asking EKS, with its own words
 * (eksctl-io/eksctl, pkg/apis/eksctl.io/v1alpha5 validation, `ErrClusterEndpointNoAccess`),
 * for `create cluster` and `utils update-cluster-vpc-config` alike. EKS's own refusal of the
 * same settings is `endpointAccessRefusal` (endpoint/validation.ts).
 */
export const EKSCTL_NO_ENDPOINT_ACCESS =
  'Kubernetes API access must have one of public or private clusterEndpoints enabled';

export interface ConfigContext {
  readonly region: string;
  /** `YYYY-MM-DD` of the simulated clock: picks eksctl's release and its defaults. */
  readonly simulatedDate: string;
  /** The simulated clock (which Kubernetes versions EKS offers then). */
  readonly nowMs: number;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly azs: readonly string[];
  /** The NAT gateways the simulated VPC has, in eksctl's words (`vpc.nat.gateway`). */
  readonly natMode: 'Single' | 'HighlyAvailable' | 'Disable';
  subnet(id: string): { id: string; az: string; cidr: string; kind: 'public' | 'private' } | undefined;
  subnets(): readonly { id: string; az: string; cidr: string; kind: 'public' | 'private' }[];
}

export type ConfigResult = { ok: true; plan: ClusterPlan } | { ok: false; error: string };

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/**
 * A parsed ClusterConfig document → the plan eksctl would carry out, or the error eksctl (or
 * the simulator, for what it does not model) would stop with. `source` names the file.
 */
export function planFromClusterConfig(doc: unknown, ctx: ConfigContext, source: string): ConfigResult {
  const fail = (error: string): ConfigResult => ({ ok: false, error });
  if (!isRecord(doc)) return fail(`loading config file "${source}": the file is empty or not a YAML mapping`);
  const schemaErrors = checkAgainstSchema(doc);
  if (schemaErrors) {
    return fail(
      `loading config file "${source}": error unmarshaling JSON: while decoding JSON: ${schemaErrors.join('; ')}`,
    );
  }
  if (doc.apiVersion !== 'eksctl.io/v1alpha5') {
    return fail(
      `loading config file "${source}": unsupported apiVersion ${JSON.stringify(doc.apiVersion)} (want eksctl.io/v1alpha5)`,
    );
  }
  if (doc.kind !== 'ClusterConfig') {
    return fail(`loading config file "${source}": kind must be ClusterConfig (got ${JSON.stringify(doc.kind)})`);
  }
  const refused = unmodelledFields(doc);
  if (refused.length > 0) {
    return fail(
      `${source}: eks-sim does not model ${refused.length === 1 ? 'this field' : 'these fields'}, so it refuses the file rather than ignore ${refused.length === 1 ? 'it' : 'them'}: ${refused.join(', ')}`,
    );
  }
  return planFrom(doc, ctx);
}

/** Builds the plan from a document already known to be valid and modelled (flags build one too). */
export function planFrom(doc: Record<string, unknown>, ctx: ConfigContext): ConfigResult {
  const fail = (error: string): ConfigResult => ({ ok: false, error });
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const name = str(metadata.name);
  if (!name) return fail('metadata.name must be set');
  if (!/^[a-zA-Z][-a-zA-Z0-9]{0,99}$/.test(name)) {
    return fail(`validation for ${name} failed, name must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
  }
  const region = str(metadata.region) ?? ctx.region;
  if (region !== ctx.region) {
    return fail(
      `metadata.region "${region}": this simulation's account and network are in ${ctx.region}; start a scenario in ${region} to create clusters there`,
    );
  }
  const release = eksctlRelease(ctx.simulatedDate);
  const asked = str(metadata.version);
  const offered = versionsOffered(ctx.nowMs);
  // eksctl's `auto`/`default` is its release's default; past that version's support (a later
  // eksctl would default to a newer one) the newest version EKS offers that day.
  const fallback = offered.includes(release.defaultKubernetesVersion)
    ? release.defaultKubernetesVersion
    : (offered.at(-1) ?? release.defaultKubernetesVersion);
  const version =
    asked === undefined || asked === 'auto' || asked === 'default'
      ? fallback
      : asked === 'latest'
        ? (offered.at(-1) ?? fallback)
        : asked;
  if (!offered.includes(version)) {
    return fail(`invalid version ${version}, supported values: auto, default, latest, ${offered.join(', ')}`);
  }

  const vpc = isRecord(doc.vpc) ? doc.vpc : {};
  const endpoints = isRecord(vpc.clusterEndpoints) ? vpc.clusterEndpoints : {};
  const endpointPublicAccess = bool(endpoints.publicAccess) ?? true;
  const endpointPrivateAccess = bool(endpoints.privateAccess) ?? false;
  if (!endpointPublicAccess && !endpointPrivateAccess) {
    return fail(EKSCTL_NO_ENDPOINT_ACCESS);
  }
  // eksctl.io (Cluster Access): eksctl will not create a private-only cluster: it could not join the nodes.
  if (!endpointPublicAccess && endpointPrivateAccess) {
    return fail(
      "eksctl cannot join worker nodes to the EKS cluster when public access isn't allowed. use 'eksctl utils update-cluster-vpc-config ...' after creating cluster with default access",
    );
  }
  const publicAccessCidrs = Array.isArray(vpc.publicAccessCIDRs) ? vpc.publicAccessCIDRs.map(String) : ['0.0.0.0/0'];

  const vpcId = str(vpc.id);
  if (vpcId && vpcId !== ctx.vpcId) {
    return fail(
      `vpc.id "${vpcId}" does not exist in this simulation: its VPC is ${ctx.vpcId} (${ctx.vpcCidr}); use that id or leave vpc.id out`,
    );
  }
  const cidr = str(vpc.cidr);
  if (cidr && cidr !== ctx.vpcCidr) {
    return fail(`vpc.cidr "${cidr}": the simulated VPC ${ctx.vpcId} is ${ctx.vpcCidr}`);
  }
  const resolved = resolveSubnets(vpc.subnets, ctx);
  if (typeof resolved === 'string') return fail(resolved);
  const mode: 'existing' | 'new' = resolved.public.length + resolved.private.length > 0 ? 'existing' : 'new';
  if (mode === 'existing') {
    const refusedSubnets = refuseSubnets(resolved);
    if (refusedSubnets) return fail(refusedSubnets);
  }
  const natRecord = isRecord(vpc.nat) ? vpc.nat : {};
  // Without subnets eksctl makes a VPC; here "the VPC eksctl made" is the scenario's network, so a
  // NAT setup other than the one it has is refused rather than silently not built.
  const requestedNat = str(natRecord.gateway);
  if (mode === 'new' && requestedNat && requestedNat !== ctx.natMode) {
    return fail(
      `vpc.nat.gateway "${requestedNat}": the simulated VPC ${ctx.vpcId} has NAT "${ctx.natMode}" (set the scenario's network.natGateway to ${requestedNat === 'HighlyAvailable' ? '"per-az"' : requestedNat === 'Single' ? '"single"' : '"none"'} to model it)`,
    );
  }
  const nat = ctx.natMode;
  const azs = Array.isArray(doc.availabilityZones) ? doc.availabilityZones.map(String) : [...ctx.azs];
  if (azs.length < MIN_REQUIRED_SUBNETS) {
    // eksctl's ErrTooFewAvailabilityZones (pkg/apis/eksctl.io/v1alpha5/validation.go).
    return fail(
      `only ${azs.length} zone(s) specified [${azs.join(' ')}], ${MIN_REQUIRED_SUBNETS} are required (can be non-unique)`,
    );
  }
  for (const az of azs) {
    if (!ctx.azs.includes(az)) {
      return fail(`availabilityZones: "${az}" is not one of the simulated VPC's zones (${ctx.azs.join(', ')})`);
    }
  }
  const newSubnets = (kind: 'public' | 'private') =>
    ctx
      .subnets()
      .filter((s) => s.kind === kind)
      .map((s) => ({ id: s.id, az: s.az, cidr: s.cidr }));

  const logging =
    isRecord(doc.cloudWatch) && isRecord(doc.cloudWatch.clusterLogging) ? doc.cloudWatch.clusterLogging : {};
  const rawTypes = Array.isArray(logging.enableTypes) ? logging.enableTypes.map(String) : [];
  for (const [i, t] of rawTypes.entries()) {
    if (t !== '*' && t !== 'all' && !LOG_TYPES.includes(t)) {
      return fail(`log type "${t}" (cloudWatch.clusterLogging.enableTypes[${i}]) is unknown`);
    }
  }
  const logTypes = rawTypes.some((t) => t === '*' || t === 'all') ? [...LOG_TYPES] : rawTypes;

  const upgradePolicy = isRecord(doc.upgradePolicy) ? doc.upgradePolicy : {};
  const supportType = (str(upgradePolicy.supportType) ?? 'EXTENDED') as 'STANDARD' | 'EXTENDED';
  const iam = isRecord(doc.iam) ? doc.iam : {};

  const nodeGroups: NodeGroupPlan[] = [];
  const names = new Set<string>();
  for (const [key, managed] of [
    ['nodeGroups', false],
    ['managedNodeGroups', true],
  ] as const) {
    const list = Array.isArray(doc[key]) ? (doc[key] as unknown[]) : [];
    for (const [i, raw] of list.entries()) {
      const path = `${key}[${i}]`;
      const ng = isRecord(raw) ? raw : {};
      const ngName = str(ng.name);
      if (!ngName) return fail(`${path}.name must be set`);
      if (names.has(ngName)) return fail(`${path}.name "${ngName}" is not unique`);
      names.add(ngName);
      const desired = num(ng.desiredCapacity) ?? num(ng.minSize) ?? 2;
      for (const [field, value] of [
        ['desiredCapacity', desired],
        ['minSize', num(ng.minSize)],
        ['maxSize', num(ng.maxSize)],
      ] as const) {
        if (value !== undefined && value < 0) return fail(`${path}.${field}: number of nodes must be 0 or greater`);
      }
      const minSize = num(ng.minSize) ?? desired;
      const maxSize = num(ng.maxSize) ?? Math.max(desired, minSize);
      if (minSize > desired || desired > maxSize) {
        return fail(
          `${path}: cannot use desiredCapacity ${desired} with minSize ${minSize} and maxSize ${maxSize} (need minSize ≤ desiredCapacity ≤ maxSize)`,
        );
      }
      const privateNetworking = bool(ng.privateNetworking) ?? false;
      const subnetsOfKind =
        mode === 'existing'
          ? resolved[privateNetworking ? 'private' : 'public']
          : newSubnets(privateNetworking ? 'private' : 'public');
      if (subnetsOfKind.length === 0) {
        return fail(
          `${path}: privateNetworking is ${privateNetworking}, but there are no ${privateNetworking ? 'private' : 'public'} subnets${mode === 'existing' ? ' in vpc.subnets' : ' in the simulated VPC'}`,
        );
      }
      const instanceType = str(ng.instanceType) ?? 'm5.large';
      const badType = refuseInstanceType(instanceType, ngName, [
        ...new Set(subnetsOfKind.map((sn) => sn.az).filter((az): az is string => az !== undefined)),
      ]);
      if (badType) return fail(badType);
      const ssh = isRecord(ng.ssh) ? ng.ssh : {};
      const addons = isRecord(ng.iam) && isRecord(ng.iam.withAddonPolicies) ? ng.iam.withAddonPolicies : {};
      nodeGroups.push({
        name: ngName,
        managed,
        instanceType,
        desiredCapacity: desired,
        // The nodes go only in the subnets given (or, in a VPC eksctl makes, its subnets of the kind).
        subnetIds: subnetsOfKind.map((sn) => sn.id),
        minSize,
        maxSize,
        volumeSize: num(ng.volumeSize) ?? 80,
        volumeType: str(ng.volumeType) ?? 'gp3',
        privateNetworking,
        ssh: {
          allow: bool(ssh.allow) ?? false,
          ...(str(ssh.publicKeyPath) ? { publicKeyPath: str(ssh.publicKeyPath) } : {}),
        },
        externalDNS: bool(addons.externalDNS) ?? false,
        amiFamily: str(ng.amiFamily) ?? 'AmazonLinux2',
        labels: isRecord(ng.labels)
          ? Object.fromEntries(Object.entries(ng.labels).map(([k, v]) => [k, String(v)]))
          : {},
        tags: isRecord(ng.tags) ? Object.fromEntries(Object.entries(ng.tags).map(([k, v]) => [k, String(v)])) : {},
        version,
      });
    }
  }

  return {
    ok: true,
    plan: {
      name,
      region,
      version,
      tags: isRecord(metadata.tags)
        ? Object.fromEntries(Object.entries(metadata.tags).map(([k, v]) => [k, String(v)]))
        : {},
      endpointPublicAccess,
      endpointPrivateAccess,
      publicAccessCidrs,
      supportType,
      withOIDC: bool(iam.withOIDC) ?? false,
      logTypes,
      vpc: {
        mode,
        id: ctx.vpcId,
        cidr: ctx.vpcCidr,
        publicSubnets: mode === 'existing' ? resolved.public : newSubnets('public'),
        privateSubnets: mode === 'existing' ? resolved.private : newSubnets('private'),
        nat: mode === 'existing' ? 'Disable' : nat,
        availabilityZones:
          mode === 'existing'
            ? [...new Set([...resolved.public, ...resolved.private].map((s) => s.az as string))]
            : azs,
      },
      nodeGroups,
    },
  };
}

/** eksctl's MinRequiredSubnets and MinRequiredAvailabilityZones (pkg/apis/eksctl.io/v1alpha5/vpc.go): both 2. */
const MIN_REQUIRED_SUBNETS = 2;

/**
 * eksctl's rule for existing subnets (HasSufficientSubnets): public-only or private-only is
 * fine, but each kind given needs at least two; then EKS's own rule for the cluster's subnets
 * (CreateCluster: "Subnets specified must be in at least two different AZs").
 */
function refuseSubnets(resolved: { public: SubnetRef[]; private: SubnetRef[] }): string | undefined {
  const counts = [resolved.public.length, resolved.private.length];
  if (counts.some((n) => n > 0 && n < MIN_REQUIRED_SUBNETS)) {
    return `insufficient number of subnets, at least ${MIN_REQUIRED_SUBNETS}x public and/or ${MIN_REQUIRED_SUBNETS}x private subnets are required`;
  }
  const zones = new Set([...resolved.public, ...resolved.private].map((s) => s.az));
  if (zones.size < MIN_REQUIRED_SUBNETS) {
    return 'InvalidParameterException: Subnets specified must be in at least two different AZs';
  }
  return undefined;
}

/** `vpc.subnets.{public,private}.<key>: {id, az, cidr}` → subnets of the simulated VPC. */
function resolveSubnets(raw: unknown, ctx: ConfigContext): { public: SubnetRef[]; private: SubnetRef[] } | string {
  const out: { public: SubnetRef[]; private: SubnetRef[] } = { public: [], private: [] };
  if (!isRecord(raw)) return out;
  for (const kind of ['public', 'private'] as const) {
    const mapping = raw[kind];
    if (!isRecord(mapping)) continue;
    for (const [key, specRaw] of Object.entries(mapping)) {
      const spec = isRecord(specRaw) ? specRaw : {};
      const path = `vpc.subnets.${kind}.${key}`;
      const id = str(spec.id);
      const cidr = str(spec.cidr);
      const known = ctx.subnets();
      const found = id
        ? ctx.subnet(id)
        : known.find((s) => s.cidr === cidr || (!cidr && s.az === (str(spec.az) ?? key)));
      if (!found) {
        const what = id ? `id "${id}"` : cidr ? `cidr "${cidr}"` : `zone "${str(spec.az) ?? key}"`;
        return `${path}: no subnet with ${what} in the simulated VPC ${ctx.vpcId} (its subnets: ${known
          .map((s) => `${s.id} ${s.kind} ${s.az} ${s.cidr}`)
          .join('; ')})`;
      }
      if (found.kind !== kind) return `${path}: subnet ${found.id} is a ${found.kind} subnet, not ${kind}`;
      out[kind].push({ id: found.id, az: found.az, cidr: found.cidr });
    }
  }
  return out;
}

/** The plan as the ClusterConfig YAML `eksctl create cluster --dry-run` prints (defaults filled in). */
export function clusterConfigFromPlan(plan: ClusterPlan): Record<string, unknown> {
  const subnetMap = (subnets: readonly SubnetRef[]) =>
    Object.fromEntries(subnets.map((s) => [s.az ?? s.id, { az: s.az, cidr: s.cidr, id: s.id }]));
  const nodeGroup = (ng: NodeGroupPlan) => ({
    amiFamily: ng.amiFamily,
    desiredCapacity: ng.desiredCapacity,
    disableIMDSv1: true,
    disablePodIMDS: false,
    iam: { withAddonPolicies: { externalDNS: ng.externalDNS } },
    instanceSelector: {},
    instanceType: ng.instanceType,
    labels: { 'alpha.eksctl.io/cluster-name': plan.name, 'alpha.eksctl.io/nodegroup-name': ng.name, ...ng.labels },
    maxSize: ng.maxSize,
    minSize: ng.minSize,
    name: ng.name,
    privateNetworking: ng.privateNetworking,
    releaseVersion: '',
    ssh: ng.ssh.allow ? { allow: true, publicKeyPath: ng.ssh.publicKeyPath ?? '~/.ssh/id_rsa.pub' } : { allow: false },
    tags: {
      'alpha.eksctl.io/nodegroup-name': ng.name,
      'alpha.eksctl.io/nodegroup-type': ng.managed ? 'managed' : 'unmanaged',
      ...ng.tags,
    },
    volumeIOPS: 3000,
    volumeSize: ng.volumeSize,
    volumeThroughput: 125,
    volumeType: ng.volumeType,
  });
  const managed = plan.nodeGroups.filter((n) => n.managed).map(nodeGroup);
  const unmanaged = plan.nodeGroups.filter((n) => !n.managed).map(nodeGroup);
  return {
    apiVersion: 'eksctl.io/v1alpha5',
    availabilityZones: [...plan.vpc.availabilityZones],
    cloudWatch: { clusterLogging: plan.logTypes.length ? { enableTypes: [...plan.logTypes] } : {} },
    iam: { vpcResourceControllerPolicy: true, withOIDC: plan.withOIDC },
    kind: 'ClusterConfig',
    kubernetesNetworkConfig: { ipFamily: 'IPv4' },
    ...(managed.length ? { managedNodeGroups: managed } : {}),
    metadata: {
      name: plan.name,
      region: plan.region,
      version: plan.version,
      ...(Object.keys(plan.tags).length ? { tags: { ...plan.tags } } : {}),
    },
    ...(unmanaged.length ? { nodeGroups: unmanaged } : {}),
    privateCluster: { enabled: false, skipEndpointCreation: false },
    upgradePolicy: { supportType: plan.supportType },
    vpc: {
      autoAllocateIPv6: false,
      cidr: plan.vpc.cidr,
      clusterEndpoints: { privateAccess: plan.endpointPrivateAccess, publicAccess: plan.endpointPublicAccess },
      ...(plan.vpc.mode === 'existing' ? { id: plan.vpc.id } : {}),
      manageSharedNodeSecurityGroupRules: true,
      nat: { gateway: plan.vpc.nat },
      publicAccessCIDRs: [...plan.publicAccessCidrs],
      ...(plan.vpc.mode === 'existing'
        ? {
            subnets: {
              ...(plan.vpc.publicSubnets.length ? { public: subnetMap(plan.vpc.publicSubnets) } : {}),
              ...(plan.vpc.privateSubnets.length ? { private: subnetMap(plan.vpc.privateSubnets) } : {}),
            },
          }
        : {}),
    },
  };
}
