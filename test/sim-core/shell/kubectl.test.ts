import { createSimulation, creatorIdentity, kubernetesRequest, type Simulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const run = (sim: Simulation, line: string) => sim.exec(line);
const nodeNames = (sim: Simulation) => sim.domains.workloads.nodes().map((n) => n.name);

describe("the simulated shell's kubectl answers from the same layer as the /k8s endpoint", () => {
  it('get pods -A prints the Table kube-apiserver gives, with a NAMESPACE column; an empty namespace says so', () => {
    const sim = createSimulation();
    const r = run(sim, 'kubectl get pods -A');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE {5}NAME +READY {3}STATUS {4}RESTARTS {3}AGE$/);
    expect(lines).toHaveLength(1 + 2 * 2 + 2);
    expect(lines.filter((l) => /^kube-system {3}coredns-\S+ +1\/1 {5}Running {3}0 +\d+[sm]$/.test(l))).toHaveLength(2);
    const empty = run(sim, 'kubectl get pods');
    expect(empty).toMatchObject({ exitCode: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(run(sim, 'kubectl get deploy -n default').stderr).toBe('No resources found in default namespace.\n');
  });

  it('the cells are the server-side Table the endpoint answers', () => {
    const sim = createSimulation();
    const table = kubernetesRequest(
      sim.kubeModel(),
      { method: 'GET', path: '/api/v1/nodes', accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
      creatorIdentity('test'),
      (c) => sim.apply(c),
    ) as { json: { rows: { cells: string[] }[] } };
    const printed = run(sim, 'kubectl get nodes -o wide')
      .stdout.trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/ {3,}/));
    expect(printed).toEqual(table.json.rows.map((r) => r.cells.map(String)));
  });

  it('-o json, -o yaml, -o name and -o jsonpath= print the objects', () => {
    const sim = createSimulation();
    const [node] = nodeNames(sim);
    const json = JSON.parse(run(sim, `kubectl get node ${node} -o json`).stdout);
    expect(json).toMatchObject({ kind: 'Node', metadata: { name: node } });
    const list = JSON.parse(run(sim, 'kubectl get pods -n kube-system -o json').stdout);
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(6);
    const yaml = run(sim, 'kubectl get deploy coredns -n kube-system -o yaml').stdout;
    expect(yaml).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    // As sigs.k8s.io/yaml writes it: a time stays a quoted string.
    expect(yaml).toMatch(/creationTimestamp: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    expect(parseYaml(yaml).spec.replicas).toBe(2);
    expect(run(sim, 'kubectl get deploy -n kube-system -o name').stdout).toBe('deployment.apps/coredns\n');
    expect(run(sim, "kubectl get nodes -o jsonpath='{.items[*].metadata.name}'").stdout).toBe(
      nodeNames(sim).sort().join(' '),
    );
    expect(
      run(sim, `kubectl get pods -n kube-system -o jsonpath='{range .items[*]}{.spec.nodeName}{"\\n"}{end}'`)
        .stdout.trimEnd()
        .split('\n'),
    ).toHaveLength(6);
  });

  it('describe node shows its conditions, addresses and the pods on it', () => {
    const sim = createSimulation();
    const [node] = nodeNames(sim) as [string];
    const r = run(sim, `kubectl describe node ${node}`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Name: +${node.replaceAll('.', '\\.')}\n`));
    expect(r.stdout).toMatch(/ {2}Ready +True +\w{3}, \d\d \w{3} \d{4}/);
    expect(r.stdout).toMatch(/InternalIP: +192\.168\./);
    expect(r.stdout).toMatch(/Non-terminated Pods: +\(3 in total\)/);
    expect(run(sim, 'kubectl describe pod nope -n kube-system').stderr).toBe(
      'Error from server (NotFound): pods "nope" not found\n',
    );
  });

  it('cordon, drain and scale change the model as the real kubectl does through the API', () => {
    const sim = createSimulation();
    const [node] = nodeNames(sim) as [string];
    expect(run(sim, `kubectl cordon ${node}`).stdout).toBe(`node/${node} cordoned\n`);
    expect(run(sim, `kubectl cordon ${node}`).stdout).toBe(`node/${node} already cordoned\n`);
    expect(run(sim, 'kubectl get nodes').stdout).toContain('Ready,SchedulingDisabled');
    const refused = run(sim, `kubectl drain ${node}`);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)');
    const drained = run(sim, `kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data`);
    expect(drained.exitCode).toBe(0);
    expect(drained.stderr).toMatch(
      /^Warning: ignoring DaemonSet-managed Pods: kube-system\/aws-node-\S+, kube-system\/kube-proxy-\S+\n$/,
    );
    expect(drained.stdout).toMatch(/evicting pod kube-system\/coredns-/);
    expect(drained.stdout).toMatch(new RegExp(`node/${node.replaceAll('.', '\\.')} drained\n$`));
    expect(sim.domains.workloads.pods().filter((p) => p.app === 'coredns' && p.nodeName === node)).toEqual([]);
    expect(run(sim, 'kubectl scale deployment coredns -n kube-system --replicas=3').stdout).toBe(
      'deployment.apps/coredns scaled\n',
    );
    expect(run(sim, 'kubectl get deploy -n kube-system').stdout).toMatch(/coredns +3\/3 +3 +3/);
    expect(run(sim, 'kubectl scale deploy/coredns --replicas=2').stderr).toBe(
      'Error from server (NotFound): deployments.apps "coredns" not found\n',
    );
    expect(run(sim, `kubectl uncordon ${node}`).stdout).toBe(`node/${node} uncordoned\n`);
    expect(run(sim, 'kubectl get events -n kube-system').stdout).toMatch(/ScalingReplicaSet +deployment\/coredns/);
  });

  it('config view, current-context and get-contexts show the kubeconfig eksctl wrote; version --client -o json', () => {
    const sim = createSimulation();
    const arn = sim.domains.cluster.cluster?.arn as string;
    expect(run(sim, 'kubectl config current-context').stdout).toBe(`${arn}\n`);
    const view = parseYaml(run(sim, 'kubectl config view').stdout);
    expect(view.clusters[0].cluster).toEqual({
      'certificate-authority-data': 'DATA+OMITTED',
      server: sim.domains.cluster.cluster?.endpoint,
    });
    expect(view.users[0].user.exec.command).toBe('aws');
    expect(run(sim, 'kubectl config get-contexts').stdout).toMatch(
      /^CURRENT +NAME +CLUSTER +AUTHINFO +NAMESPACE\n\* +arn:aws:eks:/,
    );
    const version = JSON.parse(run(sim, 'kubectl version --client -o json').stdout);
    expect(version.clientVersion.gitVersion).toMatch(/^v1\.28\.\d+-eks-/);
    expect(version.serverVersion).toBeUndefined();
  });

  it('auth whoami prints the SelfSubjectReview the API server answers: the IAM user, as EKS names it', () => {
    const sim = createSimulation();
    const r = run(sim, 'kubectl auth whoami');
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toBe(
      [
        'ATTRIBUTE             VALUE',
        'Username              arn:aws:iam::111122223333:user/admin',
        'UID                   aws-iam-authenticator:111122223333:AIDAEXAMPLEUSERID0001',
        'Groups                [system:authenticated]',
        'Extra: accessKeyId    [AKIAIOSFODNN7EXAMPLE]',
        'Extra: arn            [arn:aws:iam::111122223333:user/admin]',
        'Extra: canonicalArn   [arn:aws:iam::111122223333:user/admin]',
        'Extra: principalId    [AIDAEXAMPLEUSERID0001]',
        'Extra: sessionName    []',
        '',
      ].join('\n'),
    );
    // The same user `aws sts get-caller-identity` names: one identity in the simulated world.
    const caller = JSON.parse(run(sim, 'aws sts get-caller-identity').stdout);
    const review = JSON.parse(run(sim, 'kubectl auth whoami -o json').stdout);
    expect(review.kind).toBe('SelfSubjectReview');
    expect(review.status.userInfo.username).toBe(caller.Arn);
    expect(review.status.userInfo.extra.principalId).toEqual([caller.UserId]);
    expect(run(sim, 'kubectl auth can-i get pods')).toMatchObject({
      exitCode: 1,
      stderr: 'error: unknown command "can-i" for "kubectl auth"\n',
    });
    expect(run(sim, 'kubectl get selfsubjectreviews').stderr).toBe(
      'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n',
    );
  });

  it("kube-system's images are the add-on builds DescribeAddonVersions names as the default, or the installed one", () => {
    const imagesOf = (sim: Simulation) => {
      const pods = JSON.parse(sim.exec('kubectl get pods -n kube-system -o json').stdout).items as {
        metadata: { name: string };
        spec: { containers: { image: string }[] };
      }[];
      const tags = new Map<string, Set<string>>();
      for (const pod of pods) {
        const app = /^(aws-node|kube-proxy|coredns)-/.exec(pod.metadata.name)?.[1] ?? pod.metadata.name;
        // The add-on's own container comes first (aws-node's network policy agent is its second).
        const image = pod.spec.containers[0]?.image ?? '';
        tags.set(app, (tags.get(app) ?? new Set()).add(image));
      }
      return Object.fromEntries([...tags].map(([app, images]) => [app, [...images]]));
    };
    const defaultBuild = (sim: Simulation, addon: string) => {
      const version = sim.domains.cluster.cluster?.version as string;
      const r = sim.exec(`aws eks describe-addon-versions --addon-name ${addon} --kubernetes-version ${version}`);
      const builds = JSON.parse(r.stdout).addons[0].addonVersions as {
        addonVersion: string;
        compatibilities: { clusterVersion: string; defaultVersion: boolean }[];
      }[];
      return builds.find((b) => b.compatibilities.some((c) => c.clusterVersion === version && c.defaultVersion))
        ?.addonVersion;
    };
    for (const sim of [createSimulation(), createSimulation(scenarios['seed-week1'])]) {
      const registry = `602401143452.dkr.ecr.${sim.scenario.region}.amazonaws.com`;
      const cni = defaultBuild(sim, 'vpc-cni');
      const proxy = defaultBuild(sim, 'kube-proxy');
      const dns = defaultBuild(sim, 'coredns');
      expect([cni, proxy, dns].every(Boolean)).toBe(true);
      expect(imagesOf(sim)).toEqual({
        'aws-node': [`${registry}/amazon-k8s-cni:${cni}`],
        'kube-proxy': [`${registry}/eks/kube-proxy:${proxy?.replace('-eksbuild', '-minimal-eksbuild')}`],
        coredns: [`${registry}/eks/coredns:${dns}`],
      });
    }
    // An add-on installed at another build (CreateAddon) is what its pods run.
    const sim = createSimulation(scenarios['seed-week1']);
    expect(defaultBuild(sim, 'coredns')).toBe('v1.10.1-eksbuild.4');
    expect(
      sim.exec('aws eks create-addon --cluster-name myeks --addon-name coredns --addon-version v1.10.1-eksbuild.7')
        .exitCode,
    ).toBe(0);
    expect(imagesOf(sim).coredns).toEqual([
      `602401143452.dkr.ecr.${sim.scenario.region}.amazonaws.com/eks/coredns:v1.10.1-eksbuild.7`,
    ]);
    // Self-managed add-ons keep the builds EKS installed when the cluster was made: months later,
    // when EKS's defaults have moved on, the pods run what they ran.
    const aging = createSimulation(scenarios['seed-week1']);
    const before = { images: imagesOf(aging), cni: defaultBuild(aging, 'vpc-cni') };
    aging.advance(120 * 24 * 3_600_000);
    expect(defaultBuild(aging, 'vpc-cni')).not.toBe(before.cni);
    expect(imagesOf(aging)).toEqual(before.images);
  });

  it('refuses unknown resource types and output formats as kubectl does', () => {
    const sim = createSimulation();
    expect(run(sim, 'kubectl get widgets')).toMatchObject({
      exitCode: 1,
      stderr: 'error: the server doesn\'t have a resource type "widgets"\n',
    });
    expect(run(sim, 'kubectl get pods -o table').stderr).toMatch(
      /^error: unable to match a printer suitable for the output format "table"/,
    );
  });
});
