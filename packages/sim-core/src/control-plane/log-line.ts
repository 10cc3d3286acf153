/**
 * What a control-plane machine emits for the event log: the event's type, the component it is
 * about, a sentence a reader understands and its data. The domain that owns the actor writes it
 * to the log as it is (`actor.on('*', …)`); nothing else decides what the log says.
 */
export interface LogLine<TType extends string = string> {
  readonly type: TType;
  readonly source: string;
  readonly message: string;
  readonly data?: Record<string, unknown>;
}
