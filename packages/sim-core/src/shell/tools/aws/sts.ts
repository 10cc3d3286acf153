import { CREATOR_ARN, CREATOR_USER_ID } from '../../../answers/index';
import { ACCOUNT_ID } from '../../../cluster/facts';
import { type Service, success } from './operation';

/**
 * `aws sts get-caller-identity`: who the CLI acts as. On the bastion and the laptop, the lab's
 * IAM user (the study group configured access keys); on a node, the node role via the
 * instance profile.
 */
export const stsService: Service = {
  'get-caller-identity': {
    api: 'GetCallerIdentity',
    params: {},
    run: (_input, inv) => {
      const host = inv.ctx.domains.network.host(inv.from);
      if (host?.kind === 'node') {
        const role = inv.ctx.domains.provisioning.roles().find((r) => r.RoleName.includes('NodeInstanceRole'));
        const roleName = role?.RoleName ?? 'NodeInstanceRole';
        const instance =
          inv.ctx.domains.nodegroups.all.flatMap((g) => g.nodes).find((n) => n.name === inv.from)?.instanceId ?? 'i-0';
        return success({
          UserId: `AROAEXAMPLENODEROLE01:${instance}`,
          Account: ACCOUNT_ID,
          Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleName}/${instance}`,
        });
      }
      return success({
        UserId: CREATOR_USER_ID,
        Account: ACCOUNT_ID,
        Arn: CREATOR_ARN,
      });
    },
  },
};
