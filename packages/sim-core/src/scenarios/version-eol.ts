import type { Scenario } from '../input/scenario';
import { seedWeek1 } from './seed-week1';

/**
 * The seed's 1.28 cluster from March 2024, left alone until today (2026-11-25): it
 * enters extended support on 2024-11-26 and EKS then upgrades its control plane one minor
 * version at each end of extended support, while its nodes stay on
 * 1.28. 990 days from 2024-03-10T09:00Z is 2026-11-25T09:00Z.
 */
export const versionEol: Scenario = {
  ...seedWeek1,
  name: 'version-eol',
  title: 'Nobody upgrades: the study group’s 1.28 cluster from March 2024 to November 2026',
  summary:
    'The myeks cluster on 1.28, never touched for 26 months: extended support and its price, three automatic control-plane upgrades (1.29, 1.30, 1.31), nodes left on 1.28 at the edge of the skew policy.',
  duration: '990d',
  // Nobody uses the cluster: flat base load keeps the load model on its calm (hourly) ticks, so 26 months run in about a second.
  load: { profile: 'flat' },
  cluster: { ...seedWeek1.cluster, supportType: 'EXTENDED' },
  lesson: {
    title: 'What happens to a cluster nobody upgrades',
    steps: [
      {
        title: 'March 2024: a fresh 1.28 cluster',
        text: 'The study group builds myeks on Kubernetes 1.28. EKS released 1.28 on 2023-09-26; standard support lasts 14 months, to 2024-11-26, and costs $0.10 per cluster-hour. Run `eks-sim versions --at 2024-03-10` to see every version’s phase that day.',
        shell: ['kubectl version', 'aws eks describe-cluster --name myeks --query cluster.version'],
        wait: '261d',
      },
      {
        title: '2024-11-26: extended support begins',
        text: 'At 00:00 UTC on its end-of-standard date 1.28 enters extended support. The upgrade policy is EXTENDED (the default through the API and eksctl), so nothing is upgraded, but the control plane now costs $0.60 per hour, six times as much. Watch the cost chart step up.',
        wait: '365d',
      },
      {
        title: '2025-11-26: the first automatic upgrade',
        text: 'Extended support for 1.28 ends. EKS upgrades the control plane without asking. Where to? The study group’s notes say "the latest version"; the AWS documentation says the oldest version still in extended support, and its FAQ "the next version": both mean 1.29 here, one minor step, which is what the simulator does. The upgrade is a VersionUpdate that takes minutes; the cluster is UPDATING meanwhile.',
      },
      {
        title: 'The nodes stay behind',
        text: 'EKS upgrades only the control plane: the managed node group is still on 1.28. 1.29 is still in extended support, so the price stays $0.60 per hour.',
        wait: '239d',
      },
      {
        title: '2026-03-23 and 2026-07-23: two more automatic upgrades',
        text: '1.29 and then 1.30 reach the end of extended support; each time EKS moves the control plane one minor version: 1.30, then 1.31. The nodes are now three minor versions behind the API server, the most the Kubernetes version-skew policy allows. `versions.skew-warning` events mark them.',
        wait: '125d',
      },
      {
        title: 'Today, 2026-11-25: one day before the next step',
        text: 'Tomorrow 1.31 leaves extended support and EKS will upgrade the control plane to 1.32. The kubelets on 1.28 would then be four minor versions behind: beyond the skew policy, flagged. Upgrade the node group now (`nodegroup.upgrade`, rolling, honouring maxUnavailable), and remember that a manual control-plane upgrade moves one minor version at a time and needs the nodes on its version first.',
        shell: [
          'kubectl version',
          'kubectl get nodes',
          'aws eks update-cluster-version --name myeks --kubernetes-version 1.33',
        ],
      },
    ],
  },
};
