import type { Scenario } from '../input/scenario';
import { seedWeek1 } from './seed-week1';

/**
 * The lab's failure: the endpoint switched to private only; the work EC2 is no
 * longer allowed by the cluster security group, so kubectl and `eksctl delete cluster` cannot
 * reach the API server; the laptop is refused too (the name now resolves to private addresses).
 * The fix is one inbound rule: TCP 443 from the bastion's security group.
 */
export const privateLockout: Scenario = {
  ...seedWeek1,
  name: 'private-lockout',
  title: 'Locked out: switching the endpoint to private only',
  summary:
    "The study group made myeks's endpoint private; the work EC2 could no longer reach the API server, nor delete the cluster with eksctl. Why, and the one rule that fixes it.",
  duration: '1h',
  // The switch the author made, sent as `eksctl utils update-cluster-vpc-config
  // --private-access=true --public-access=false --approve` would: one EndpointAccessUpdate.
  timeline: [{ at: '2m', command: { type: 'endpoint.update', public: false, private: true } }],
  lesson: {
    title: 'Locked out of your own cluster',
    steps: [
      {
        title: 'The cluster as built: public endpoint',
        text: 'myeks was created with the default endpoint access: public only. Its name resolves to the public addresses of the NLB nodes, from anywhere; the bastion myeks-host and your laptop both reach the API server over the internet.',
        shell: [
          'kubectl get nodes',
          'aws eks describe-cluster --name $CLUSTER_NAME --query cluster.endpoint --output text',
        ],
      },
      {
        title: 'Switch to private only',
        text: 'At 2 minutes the scenario sends the change the author made: endpointPublicAccess=false, endpointPrivateAccess=true. It is an EndpointAccessUpdate: the cluster shows UPDATING for a few minutes, then ACTIVE with the new settings (EKS API reference, UpdateClusterConfig).',
        shell: ['aws eks describe-cluster --name $CLUSTER_NAME --query cluster.resourcesVpcConfig'],
        wait: '12m',
      },
      {
        title: 'The bastion is locked out',
        text: "Inside the VPC the name now resolves to the private addresses of the EKS-owned ENIs. Those ENIs carry the cluster security group eks-cluster-sg-myeks-…, which lets in only traffic from itself (and from eksctl's node security group). The bastion's security group myeks-EKSEC2SG is not allowed on TCP 443, so the connection is dropped and kubectl times out. `dig` on the endpoint name shows the private addresses. Ask the simulator why: eks-sim whatif endpoint --mode private.",
        shell: ['kubectl get nodes'],
      },
      {
        title: 'The laptop is locked out too',
        text: 'From the internet, public DNS now answers the same private 192.168.x.x addresses: there is no route to them from outside the VPC without a VPN, peering or Direct Connect. Private-only means: run kubectl from inside the VPC.',
        from: 'laptop',
        shell: ['kubectl get nodes'],
      },
      {
        title: 'eksctl cannot delete the cluster',
        text: 'eksctl delete cluster needs the Kubernetes API (it drains the node group first), so from the locked-out bastion it cannot proceed. The study group had to delete the cluster from the console.',
        shell: ['eksctl delete cluster --name $CLUSTER_NAME'],
      },
      {
        title: 'The fix: allow the bastion on 443',
        text: "One inbound rule on the cluster security group: TCP 443 from the bastion's security group. Reachability follows at once; the endpoint stays private. (eksctl's vpc.extraCIDRs does the same for networks outside the VPC: https://eksctl.io/usage/vpc-cluster-access/)",
        commands: [
          { type: 'sg.add-rule', group: 'eks-cluster-sg-myeks', protocol: 'tcp', port: 443, source: 'myeks-EKSEC2SG' },
        ],
        shell: ['kubectl get nodes'],
      },
    ],
  },
};
