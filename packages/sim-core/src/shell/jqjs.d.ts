/** Types for the part of jqjs (`@michaelhomer/jqjs`, plain JavaScript) that `jq.ts` uses. */
declare module '@michaelhomer/jqjs' {
  interface ParseNode {
    apply(
      input: unknown,
      conf: { userFuncArgs: Record<string, unknown>; variables: Record<string, unknown> },
    ): Iterable<unknown>;
  }
  interface Compiled {
    (input: unknown): Iterable<unknown>;
    readonly ast: ParseNode;
  }
  export function compileNode(program: string): ParseNode;
  const jq: { compile(program: string): Compiled };
  export default jq;
}
