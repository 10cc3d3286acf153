import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const week1 = () => createSimulation(scenarios['seed-week1']);

describe('--help and versions, as the real tools print them', () => {
  it('kubectl --help lists its command groups; kubectl get -h and kubectl help config view show their pages', () => {
    const sim = week1();
    const root = sim.exec('kubectl --help');
    expect(root.exitCode).toBe(0);
    expect(root.stdout).toMatch(/^kubectl controls the Kubernetes cluster manager\.\n/);
    expect(root.stdout).toContain(
      'Basic Commands (Intermediate):\n  explain         Get documentation for a resource\n',
    );
    expect(root.stdout).toContain('Use "kubectl <command> --help" for more information about a given command.\n');
    expect(sim.exec('kubectl get pods -n kube-system --help').stdout).toMatch(/^Display one or many resources\.\n/);
    expect(sim.exec('kubectl get -h').stdout).toContain('Usage:\n  kubectl get\n');
    expect(sim.exec('kubectl help config view').stdout).toMatch(/^Display merged kubeconfig settings/);
    expect(sim.exec('kubectl config --help').stdout).toContain('  current-context   Display the current-context\n');
    expect(sim.exec('kubectl frobnicate --help')).toMatchObject({
      exitCode: 1,
      stderr: 'error: unknown command "frobnicate" for "kubectl"\n',
    });
  });

  it('aws help pages follow the CLI: aws help, aws eks help, aws eks describe-cluster help (or --help)', () => {
    const sim = week1();
    expect(sim.exec('aws help').stdout).toContain('AVAILABLE SERVICES\n       o cloudformation\n\n       o ec2\n');
    const eks = sim.exec('aws eks help').stdout;
    expect(eks).toMatch(/^EKS\(\) +EKS\(\)\n/);
    expect(eks).toContain('       o describe-cluster\n');
    expect(eks).toContain('       o wait\n');
    const describe = sim.exec('aws eks describe-cluster help');
    expect(describe.exitCode).toBe(0);
    expect(describe.stdout).toContain('DESCRIPTION\n       Describes an Amazon EKS cluster.\n');
    expect(describe.stdout).toContain('SYNOPSIS\n            describe-cluster\n          --name <value>\n');
    expect(sim.exec('aws eks describe-cluster --help').stdout).toBe(describe.stdout);
    expect(sim.exec('aws eks wait help').stdout).toContain('       o cluster-active\n');
    expect(sim.exec('aws ec2 describe-subnets help').stdout).toContain('[--filters <value>]');
  });

  it('aws --version prints the AWS CLI v2 version line, not the usage', () => {
    const r = week1().exec('aws --version');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^aws-cli\/2\.\d+\.\d+ Python\/3\.\d+\.\d+ Linux\/\S+ exe\/x86_64\.amzn\.2 prompt\/off\n$/,
    );
  });

  it('eksctl --help, eksctl create --help and eksctl create cluster -h show its command tree and flags', () => {
    const sim = week1();
    expect(sim.exec('eksctl --help').stdout).toMatch(
      /^The official CLI for Amazon EKS\n\nUsage: eksctl \[command\] \[flags\]/,
    );
    expect(sim.exec('eksctl create --help').stdout).toContain(
      '  eksctl create cluster                  Create a cluster\n',
    );
    expect(sim.exec('eksctl create cluster -h').stdout).toContain('--vpc-public-subnets strings');
    expect(sim.exec('eksctl get ng --help').stdout).toMatch(/^Get nodegroup\(s\)\n/);
    expect(sim.exec('eksctl').stdout).toBe(sim.exec('eksctl --help').stdout);
  });

  it('curl, dig, ssh and the text filters answer their own way', () => {
    const sim = week1();
    expect(sim.exec('curl --help').stdout).toMatch(/^Usage: curl \[options\.\.\.\] <url>\n/);
    expect(sim.exec('curl -V').stdout).toMatch(/^curl 8\./);
    expect(sim.exec('dig -h').stdout).toMatch(/^Usage: {2}dig \[@global-server\]/);
    // ssh has no help option: it names the unknown option and prints its usage, status 255.
    expect(sim.exec('ssh --help')).toMatchObject({
      exitCode: 255,
      stderr: expect.stringMatching(/^unknown option -- -\nusage: ssh /),
    });
    expect(sim.exec('grep --help').stdout).toMatch(/^Usage: grep \[OPTION\]\.\.\. PATTERNS \[FILE\]\.\.\.\n/);
    expect(sim.exec('jq --help').stdout).toMatch(/^Usage:\tjq \[OPTIONS\] FILTER \[FILES\.\.\.\]\n/);
    // `--help` after a tool's own command belongs to that command, not to the shell.
    expect(sim.exec('echo --help').stdout).toBe('--help\n');
  });

  it('a help request runs nothing: no event besides the typed line', () => {
    const sim = week1();
    const before = sim.events().length;
    sim.exec('eksctl delete cluster --name myeks --help');
    sim.exec('aws eks delete-cluster --name myeks help');
    expect(sim.events().length).toBe(before + 2);
    expect(sim.snapshot().cluster?.status).toBe('ACTIVE');
  });
});
