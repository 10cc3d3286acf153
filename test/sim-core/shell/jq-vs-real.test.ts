import { execFileSync, spawnSync } from 'node:child_process';
import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

/**
 * The simulated `jq` against the real one (jq 1.6+ from the machine's packages) on the filters
 * tutorials paste, over documents shaped like the AWS CLI's and kubectl's output.
 */
const realJq = (() => {
  try {
    return execFileSync('jq', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
})();
if (!realJq) console.log('jq-vs-real: skipped, no jq on this machine (apt-get install jq)');

const cluster = {
  cluster: {
    name: 'myeks',
    version: '1.28',
    status: 'ACTIVE',
    tags: {},
    resourcesVpcConfig: {
      subnetIds: ['subnet-a', 'subnet-b'],
      endpointPublicAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
  },
};
const nodes = {
  kind: 'List',
  items: [
    {
      metadata: { name: 'ip-192-168-1-39', labels: { zone: 'a' } },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    },
    {
      metadata: { name: 'ip-192-168-2-7', labels: { zone: 'c' } },
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    },
  ],
};

const CASES: readonly [unknown, string, string[]?][] = [
  [cluster, '.cluster.name'],
  [cluster, '.cluster.name', ['-r']],
  [cluster, '.cluster.resourcesVpcConfig.subnetIds[]', ['-r']],
  [cluster, '.cluster.resourcesVpcConfig.subnetIds[0]'],
  [cluster, '.cluster.resourcesVpcConfig.subnetIds | length'],
  [cluster, '.cluster | keys'],
  [cluster, '.cluster.resourcesVpcConfig | keys_unsorted'],
  [cluster, '.cluster.tags // "none"'],
  [cluster, '.cluster.missing // "none"'],
  [cluster, '.cluster | {name, version}'],
  [cluster, '.cluster | [.name, .status] | @tsv', ['-r']],
  [cluster, '"\\(.cluster.name) is \\(.cluster.status)"', ['-r']],
  [cluster, '.cluster.resourcesVpcConfig.endpointPublicAccess == true'],
  [nodes, '.items[].metadata.name', ['-r']],
  [nodes, '.items | length'],
  [nodes, '.items | map(.metadata.name)'],
  [nodes, '[.items[] | .metadata.labels.zone] | sort | unique'],
  [nodes, '.items[] | select(.metadata.labels.zone == "a") | .metadata.name', ['-r']],
  [nodes, '.items[] | select(.status.conditions[] | .type == "Ready" and .status != "True") | .metadata.name', ['-r']],
  [nodes, '.items[0].status.conditions[0].type'],
  [nodes, '.items[-1].metadata.name'],
  [nodes, '.items | map(select(.metadata.labels.zone != "a")) | length'],
  [nodes, '.items[] | {name: .metadata.name, zone: .metadata.labels.zone}', ['-c']],
  [nodes, '.items | keys'],
  [nodes, '[.items[].metadata.name] | join(",")', ['-r']],
  [nodes, '.items | first | .metadata.name'],
  [nodes, '.kind | ascii_downcase'],
  [nodes, '.items[] | .metadata | to_entries | map(.key)', ['-c']],
  [nodes, '.'],
  [nodes, '.missing'],
  [[3, 1, 2], 'sort'],
  [[3, 1, 2], 'add'],
  [[3, 1, 2], 'max'],
  [{ a: null }, '.a // 0'],
  [{ a: false }, '.a // 0'],
];

describe.skipIf(!realJq)(`jq answers as the real ${realJq ?? 'jq'} does`, () => {
  it.each(
    CASES.map(([input, filter, options = []]) => [`${options.join(' ')} '${filter}'`, input, filter, options] as const),
  )('jq %s', (_title, input, filter, options) => {
    const json = JSON.stringify(input);
    const real = spawnSync('jq', [...options, filter], { input: json, encoding: 'utf8' });
    const sim = createSimulation(scenarios['seed-week1']);
    const quoted = filter.replace(/'/g, "'\\''");
    const ours = sim.exec(`jq ${options.join(' ')} '${quoted}' <<'EOF'\n${json}\nEOF`);
    expect({ stdout: ours.stdout, exitCode: ours.exitCode }).toEqual({ stdout: real.stdout, exitCode: real.status });
  });
});
