/** Scenario input for the customer network (owned by network/). */
export interface NetworkScenario {
  readonly [key: string]: unknown;
}
