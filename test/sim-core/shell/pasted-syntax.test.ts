import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';
import { needsMoreInput } from '../../../packages/sim-core/src/shell/parse';

const week1 = () => createSimulation(scenarios['seed-week1']);

describe('shell syntax pasted from tutorials', () => {
  it('VAR=x cmd sets the variable for that command only', () => {
    const sim = week1();
    const other = sim.exec('AWS_DEFAULT_REGION=us-east-1 aws eks list-clusters');
    expect(other).toMatchObject({ exitCode: 0, stdout: '{\n    "clusters": []\n}\n' });
    expect(JSON.parse(sim.exec('aws eks list-clusters').stdout).clusters).toEqual(['myeks']);
    expect(sim.exec('echo $AWS_DEFAULT_REGION').stdout).toBe('ap-northeast-2\n');
    expect(sim.exec('GREETING=hi printenv GREETING; echo "[$GREETING]"').stdout).toBe('hi\n[]\n');
    // bash expands the command's words before the assignment applies.
    expect(sim.exec('X=1; X=2 echo $X').stdout).toBe('1\n');
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  it('export and ${VAR} carry a value to the next lines; $? is the last status', () => {
    const sim = week1();
    sim.exec('export NG=$CLUSTER_NAME-nodegroup');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    expect(sim.exec('echo ${NG}').stdout).toBe('myeks-nodegroup\n');
    expect(sim.exec('env | grep ^NG=').stdout).toBe('NG=myeks-nodegroup\n');
    sim.exec('aws eks describe-cluster --name nope');
    expect(sim.exec('echo $?').stdout).toBe('254\n');
  });

  it('for … in …; do …; done runs the body per word, over words, $(…) output and {1..N}', () => {
    const sim = week1();
    expect(sim.exec('for az in a c; do echo "ap-northeast-2$az"; done').stdout).toBe(
      'ap-northeast-2a\nap-northeast-2c\n',
    );
    const nodes = sim.exec(
      'for ip in $(aws ec2 describe-subnets --query "Subnets[?MapPublicIpOnLaunch].CidrBlock" --output text); do echo "subnet $ip"; done',
    );
    expect(nodes.stdout).toBe('subnet 192.168.1.0/24\nsubnet 192.168.2.0/24\n');
    expect(sim.exec('for i in {1..3}; do echo $i; done | wc -l').stdout).toBe('3\n');
    expect(
      sim.exec('for c in $(aws eks list-clusters --query clusters --output text)\ndo\n  echo $c\ndone').stdout,
    ).toBe('myeks\n');
    expect(sim.exec('for x in; do echo never; done; echo $?').stdout).toBe('0\n');
  });

  it('$((…)) is bash arithmetic: precedence, variables by name, ++ and wrap-around', () => {
    const sim = week1();
    expect(sim.exec('echo $((1 + 2 * 3)) $((10 / 3)) $((-7 % 3)) $((2 ** 10)) $(((1 << 4) - 1))').stdout).toBe(
      '7 3 -1 1024 15\n',
    );
    expect(sim.exec('n=5; echo $((n * 2)) $(($n + 1)) $((n++)) $n $((n > 3 ? 1 : 0))').stdout).toBe('10 6 5 6 1\n');
    expect(sim.exec('echo $((9223372036854775807 + 1))').stdout).toBe('-9223372036854775808\n');
    expect(sim.exec('total=0; for i in 1 2 3; do total=$((total + i)); done; echo $total').stdout).toBe('6\n');
  });

  it('a bad arithmetic expression is bash’s error, status 1, and the rest of the line does not run', () => {
    const sim = week1();
    expect(sim.exec('echo $((1/0)); echo after')).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: 'bash: 1/0: division by 0 (error token is "0")\n',
    });
    expect(sim.exec('echo $((1 +))').stderr).toBe('bash: 1 +: syntax error: operand expected (error token is "+")\n');
  });

  it('&&, || and ; chain by exit status', () => {
    const sim = week1();
    expect(sim.exec('aws eks describe-cluster --name nope >/dev/null 2>&1 || echo missing; echo next').stdout).toBe(
      'missing\nnext\n',
    );
    expect(sim.exec('aws eks describe-cluster --name myeks >/dev/null && echo exists').stdout).toBe('exists\n');
  });

  it('reports syntax errors with the token, as bash does, and runs nothing', () => {
    const sim = week1();
    const before = sim.events().length;
    expect(sim.exec('done')).toMatchObject({
      exitCode: 2,
      stderr: "bash: syntax error near unexpected token `done'\n",
    });
    expect(sim.exec('for x in a b; do done').stderr).toBe("bash: syntax error near unexpected token `done'\n");
    expect(sim.exec('echo a(b').stderr).toBe("bash: syntax error near unexpected token `('\n");
    expect(sim.exec('for x in a; do echo $x').stderr).toBe('bash: syntax error: unexpected end of file\n');
    expect(sim.exec('if true; then echo x; fi')).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining("`if' compound commands are not supported in the simulated shell"),
    });
    expect(sim.events().length).toBe(before);
  });

  it('keeps reading an unfinished for loop, as bash shows its > prompt', () => {
    expect(needsMoreInput('for x in a b; do')).toBe(true);
    expect(needsMoreInput('for x in a b; do\n  echo $x')).toBe(true);
    expect(needsMoreInput('for x in a b; do\n  echo $x\ndone')).toBe(false);
  });
});
