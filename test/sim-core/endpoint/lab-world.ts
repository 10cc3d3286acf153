import { createSimulation, type Simulation, scenarios } from '@eks-sim/sim-core';
import type { EndpointWorld } from '../../../packages/sim-core/src/endpoint/types';

/**
 * NLB nodes for the public answer when the control-plane model gives none (before it lands, or
 * when a test wants fixed addresses): two AZs with a healthy API server, as in docs/lessons/seed-week1.md
 */
export const TWO_NLB_NODES = [
  { id: 'nlb-apne2-az1', az: 'apne2-az1', ips: ['3.39.10.11'] },
  { id: 'nlb-apne2-az3', az: 'apne2-az3', ips: ['43.200.20.22'] },
];

export function labSim(name = 'seed-week1', seed?: number): Simulation {
  return createSimulation(scenarios[name], seed === undefined ? {} : { seed });
}

/** The simulation's endpoint world, with public addresses guaranteed. */
export function labWorld(sim: Simulation): EndpointWorld {
  const world = sim.domains.endpoint.world();
  return world.nlbNodes.length > 0 ? world : { ...world, nlbNodes: TWO_NLB_NODES };
}
