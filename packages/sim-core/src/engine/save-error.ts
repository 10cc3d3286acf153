/**
 * A save that cannot be written (a domain or a timer that cannot be saved yet) or a saved
 * simulation that cannot be restored (wrong format or version, an actor or a timer no domain
 * knows). The message names what is wrong; a restore that throws it returns no simulation.
 */
export class SaveError extends Error {
  override readonly name = 'SaveError';
}
