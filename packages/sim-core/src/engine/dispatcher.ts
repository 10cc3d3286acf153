import { type Command, type CommandResult, type CommandSpec, fail, validateCommand } from './command-spec';

/** Appends `command.applied` to the event log (the engine's `emit`). */
type Emit = (type: string, source: string, message: string, data: Record<string, unknown>) => unknown;

/**
 * The one place a command is applied: found by type, its fields validated against its spec,
 * its rules checked (`CommandSpec.check`), then handled, and an applied command logged with
 * who sent it. `Simulation.apply` (a user, a scenario's timeline) and the shell's tools (`aws`,
 * `eksctl`) both go through here, so every surface refuses the same input with the same words.
 */
export class CommandDispatcher {
  private readonly byType = new Map<string, CommandSpec>();

  constructor(private readonly emit: Emit) {}

  register(specs: readonly CommandSpec[]): void {
    for (const spec of specs) {
      if (this.byType.has(spec.type)) throw new Error(`command type ${spec.type} is defined twice`);
      this.byType.set(spec.type, spec);
    }
  }

  get specs(): readonly CommandSpec[] {
    return [...this.byType.values()];
  }

  /** Applies a command now. Bad input gets an error result and changes nothing; never throws. */
  apply(command: Command, source: string): CommandResult {
    if (typeof command !== 'object' || command === null || Array.isArray(command)) {
      return fail('InvalidCommand', `a command must be an object with a "type" (got ${JSON.stringify(command)})`);
    }
    if (typeof command.type !== 'string') {
      return fail('InvalidCommand', 'a command needs a string "type", e.g. {"type": "load.set", "rps": 4000}');
    }
    const spec = this.byType.get(command.type);
    if (!spec) {
      return fail(
        'UnknownCommand',
        `unknown command type "${command.type}" (known: ${[...this.byType.keys()].sort().join(', ')})`,
      );
    }
    const invalid = validateCommand(spec, command);
    if (invalid) return invalid;
    let result: CommandResult;
    try {
      result = spec.check?.(command) ?? spec.handle(command);
    } catch (error) {
      // A handler that throws is a bug in the model; report it as a value, never crash callers.
      result = fail('InternalError', `${command.type} failed inside the simulator: ${(error as Error).message}`);
    }
    if (result.ok) this.emit('command.applied', source, `Applied ${command.type}`, { command: { ...command } });
    return result;
  }
}
