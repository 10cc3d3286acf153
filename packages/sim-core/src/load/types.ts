/** Scenario input for the load model (owned by load/). */
export interface LoadScenario {
  readonly [key: string]: unknown;
}
