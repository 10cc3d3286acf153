/** A command as it travels: JSON with a `type`. */
export interface Command {
  readonly type: string;
  readonly [field: string]: unknown;
}
