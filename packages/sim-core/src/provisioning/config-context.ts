import type { SimContext } from '../engine/domain';
import { isoDate } from '../engine/duration';
import type { ConfigContext } from './cluster-config';
import type { ConfigNetworkPort } from './ports';

function natMode(gateways: number, azs: number): ConfigContext['natMode'] {
  if (gateways === 0) return 'Disable';
  return gateways >= azs && azs > 1 ? 'HighlyAvailable' : 'Single';
}

/** What a ClusterConfig is checked against in this simulation: its region, clock and network. */
export function configContextOf(ctx: SimContext, region: string, network: ConfigNetworkPort): ConfigContext {
  const all = () => [...network.subnetsOfKind('public'), ...network.subnetsOfKind('private')];
  return {
    region,
    simulatedDate: isoDate(ctx.clock.now()),
    nowMs: ctx.clock.now(),
    vpcId: network.vpcId,
    vpcCidr: network.vpcCidr,
    azs: network.azs,
    natMode: natMode(network.view().natGateways.length, network.azs.length),
    subnet: (id) => all().find((s) => s.id === id),
    subnets: all,
  };
}
