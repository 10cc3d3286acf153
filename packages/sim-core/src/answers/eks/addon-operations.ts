import { type AddonName, EKS_ADDONS, isAddonName } from '../../versions/addon-versions';
import { versionsOffered } from '../../versions/calendar';
import { answer, command, type EksAnswer, type EksApiDeps, lookups, refuse } from './answer';
import { EKS_ERROR_TEXT, eksError, eksErrorOfCommand } from './errors';
import { type AddonShape, addonInfoShape, addonShape } from './shapes';

export interface CreateAddonRequest {
  readonly addonName: string;
  readonly addonVersion?: string;
  readonly serviceAccountRoleArn?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface AddonOperations {
  listAddons(clusterName: string): EksAnswer<{ addons: string[] }>;
  describeAddon(clusterName: string, addonName: string): EksAnswer<{ addon: AddonShape }>;
  createAddon(clusterName: string, request: CreateAddonRequest): EksAnswer<{ addon: AddonShape }>;
  deleteAddon(clusterName: string, addonName: string): EksAnswer<{ addon: AddonShape }>;
  describeAddonVersions(query: {
    readonly addonName?: string;
    readonly kubernetesVersion?: string;
  }): EksAnswer<{ addons: ReturnType<typeof addonInfoShape>[] }>;
}

/** EKS add-ons: what is installed (the add-ons domain) and what EKS offers by date (versions/addon-versions.ts). */
export function addonOperations({ model, apply, now }: EksApiDeps): AddonOperations {
  const { find, notFound } = lookups(model);
  const described = (clusterName: string, addonName: string): EksAnswer<{ addon: AddonShape }> => {
    const cluster = find(clusterName);
    if (!cluster) return notFound(clusterName);
    const addon = model.addons.all.find((a) => a.clusterName === clusterName && a.name === addonName);
    return addon
      ? answer({ addon: addonShape(cluster, addon) })
      : refuse(
          eksError('ResourceNotFoundException', EKS_ERROR_TEXT.addonNotFound(addonName, clusterName), {
            clusterName,
            addonName,
          }),
        );
  };

  return {
    listAddons(clusterName) {
      if (!find(clusterName)) return notFound(clusterName);
      return answer({ addons: model.addons.all.filter((a) => a.clusterName === clusterName).map((a) => a.name) });
    },

    describeAddon: described,

    createAddon(clusterName, request) {
      if (!find(clusterName)) return notFound(clusterName);
      const result = apply(
        command('addon.create', {
          clusterName,
          addon: request.addonName,
          version: request.addonVersion,
          serviceAccountRoleArn: request.serviceAccountRoleArn,
          tags: request.tags,
        }),
      );
      if (!result.ok) return refuse(eksErrorOfCommand(result));
      return described(clusterName, request.addonName);
    },

    deleteAddon(clusterName, addonName) {
      const before = described(clusterName, addonName);
      if (!before.ok) return before;
      const result = apply(command('addon.delete', { clusterName, addon: addonName }));
      if (!result.ok) return refuse(eksErrorOfCommand(result));
      const after = described(clusterName, addonName);
      return after.ok ? after : before;
    },

    describeAddonVersions({ addonName, kubernetesVersion }) {
      // EKS answers an empty list for a name it does not publish, and for a Kubernetes version it does not offer.
      if (kubernetesVersion !== undefined && !versionsOffered(now()).includes(kubernetesVersion)) {
        return answer({ addons: [] });
      }
      const names: AddonName[] =
        addonName === undefined ? EKS_ADDONS.map((a) => a.name) : isAddonName(addonName) ? [addonName] : [];
      return answer({
        addons: names
          .map((name) => addonInfoShape(name, now(), kubernetesVersion))
          .filter((info) => info.addonVersions.length > 0),
      });
    },
  };
}
