import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const week1 = () => createSimulation(scenarios['seed-week1']);

describe('pipelines into coreutils', () => {
  it('grep -i, -v, -c, -E and basic regular expressions as GNU grep reads them', () => {
    const sim = week1();
    const roles = 'aws iam list-roles --query "Roles[].RoleName" --output text | tr "\\t" "\\n"';
    const all = sim.exec(roles).stdout.trim().split('\n');
    expect(all.length).toBeGreaterThan(1);
    expect(sim.exec(`${roles} | grep -i nodeinstancerole`).stdout).toMatch(/NodeInstanceRole/);
    expect(sim.exec(`${roles} | grep -c .`).stdout).toBe(`${all.length}\n`);
    expect(Number(sim.exec(`${roles} | grep -vc NodeInstanceRole`).stdout)).toBe(
      all.filter((r) => !r.includes('NodeInstanceRole')).length,
    );
    expect(sim.exec("printf 'abc\\nabbc\\nab+c\\n' | grep 'ab+c'").stdout).toBe('ab+c\n');
    expect(sim.exec("printf 'abc\\nabbc\\nab+c\\n' | grep -E 'ab+c'").stdout).toBe('abc\nabbc\n');
    expect(sim.exec("printf 'abc\\nabbc\\n' | grep 'ab\\+c' | wc -l").stdout).toBe('2\n');
    expect(sim.exec('echo x | grep y')).toMatchObject({ exitCode: 1, stdout: '' });
  });

  it('wc -l, head and tail -n (with tail -n +2 to skip a header)', () => {
    const sim = week1();
    expect(sim.exec('seq 10 | wc -l').stdout).toBe('10\n');
    expect(sim.exec('seq 10 | head -n 3').stdout).toBe('1\n2\n3\n');
    expect(sim.exec('seq 10 | head -3').stdout).toBe('1\n2\n3\n');
    expect(sim.exec('seq 10 | tail -n 2').stdout).toBe('9\n10\n');
    expect(sim.exec('seq 3 | tail -n +2').stdout).toBe('2\n3\n');
    expect(sim.exec('kubectl get nodes | tail -n +2 | wc -l').stdout).toBe('2\n');
  });

  it('sort -n, -r, -u and uniq -c count the subnets per AZ', () => {
    const sim = week1();
    expect(sim.exec("printf '10\\n9\\nb\\na\\n' | sort").stdout).toBe('10\n9\na\nb\n');
    expect(sim.exec("printf '10\\n9\\n100\\n' | sort -n").stdout).toBe('9\n10\n100\n');
    expect(sim.exec("printf '10\\n9\\n100\\n' | sort -nr").stdout).toBe('100\n10\n9\n');
    expect(sim.exec("printf 'b\\na\\nb\\n' | sort -u").stdout).toBe('a\nb\n');
    expect(sim.exec("printf 'x 3\\ny 1\\nz 2\\n' | sort -k2 -n | head -n 1").stdout).toBe('y 1\n');
    expect(
      sim.exec(
        "aws ec2 describe-subnets --query 'Subnets[].AvailabilityZone' --output text | tr '\\t' '\\n' | sort | uniq -c",
      ).stdout,
    ).toBe('      2 ap-northeast-2a\n      2 ap-northeast-2c\n');
  });
});

describe('jq', () => {
  it('takes the common filters: .a.b, .[], .a[0], -r, length, keys, select, map and pipes', () => {
    const sim = week1();
    const cluster = 'aws eks describe-cluster --name myeks';
    expect(sim.exec(`${cluster} | jq -r .cluster.name`).stdout).toBe('myeks\n');
    expect(sim.exec(`${cluster} | jq .cluster.name`).stdout).toBe('"myeks"\n');
    expect(sim.exec(`${cluster} | jq '.cluster.resourcesVpcConfig.subnetIds | length'`).stdout).toBe('2\n');
    expect(sim.exec(`${cluster} | jq -r '.cluster.resourcesVpcConfig.subnetIds[0]'`).stdout).toMatch(/^subnet-\w+\n$/);
    expect(sim.exec(`${cluster} | jq -c '.cluster.resourcesVpcConfig | keys'`).stdout).toBe(
      '["clusterSecurityGroupId","endpointPrivateAccess","endpointPublicAccess","publicAccessCidrs","securityGroupIds","subnetIds","vpcId"]\n',
    );
    const subnets = 'aws ec2 describe-subnets';
    expect(sim.exec(`${subnets} | jq -r '.Subnets[] | select(.MapPublicIpOnLaunch == true) | .CidrBlock'`).stdout).toBe(
      '192.168.1.0/24\n192.168.2.0/24\n',
    );
    expect(sim.exec(`${subnets} | jq -c '.Subnets | map(.AvailabilityZone) | unique'`).stdout).toBe(
      '["ap-northeast-2a","ap-northeast-2c"]\n',
    );
    expect(sim.exec(`${subnets} | jq '.Subnets[]' | jq -s length`).stdout).toBe('4\n');
    // An object prints as jq does, indented by 2.
    expect(sim.exec(`echo '{"a":{"b":[1]}}' | jq .a`).stdout).toBe('{\n  "b": [\n    1\n  ]\n}\n');
  });

  it('gives // its jq meaning: the default replaces null and false', () => {
    expect(week1().exec(`echo '{"a":null}' '{"a":false}' '{"a":1}' | jq -c '.a // "none"'`).stdout).toBe(
      '"none"\n"none"\n1\n',
    );
  });

  it('answers `now` from the simulated clock, so a replay prints the same', () => {
    const sim = week1();
    expect(sim.exec("jq -n 'now'").stdout).toBe(`${sim.now() / 1000}\n`);
  });

  it('fails as jq does: compile error 3, runtime error 5, bad input 2, -e on null 1', () => {
    const sim = week1();
    const compile = sim.exec("echo '[1]' | jq '.['");
    expect(compile.exitCode).toBe(3);
    expect(compile.stderr).toMatch(/^jq: error: .*\n\.\[\njq: 1 compile error\n$/);
    expect(sim.exec("echo '[1]' | jq .a")).toMatchObject({
      exitCode: 5,
      stderr: 'jq: error (at <stdin>:1): Cannot index array with "a"\n',
    });
    expect(sim.exec("echo '{' | jq .")).toMatchObject({
      exitCode: 2,
      stderr: expect.stringMatching(/^jq: parse error/),
    });
    expect(sim.exec("echo '{}' | jq -e .missing").exitCode).toBe(1);
    expect(sim.exec('jq --bogus .').exitCode).toBe(2);
  });
});
