/**
 * What the shell's parser (`parse.ts`) makes of a line, and what `expand.ts` and the runner
 * read: words kept as parts until they are expanded, commands, pipelines and lists.
 */

/** One piece of a word: literal text, a variable, or a command substitution. */
export type WordPart =
  | { readonly kind: 'text'; readonly text: string; readonly quoted: boolean }
  | {
      readonly kind: 'var';
      readonly name: string;
      readonly quoted: boolean;
      readonly fallback?: Word;
      /** `${VAR#prefix}`, `${VAR%suffix}` (and `##`, `%%`): a glob pattern to cut off. */
      readonly trim?: { readonly op: '#' | '##' | '%' | '%%'; readonly pattern: string };
    }
  | { readonly kind: 'subst'; readonly script: string; readonly quoted: boolean }
  /** `$((expression))`: evaluated by `arith.ts` when the word is expanded. */
  | { readonly kind: 'arith'; readonly expression: string; readonly quoted: boolean };

export type Word = readonly WordPart[];

export interface Redirect {
  /** `>` / `>>` on stdout (fd 1) or stderr (fd 2); `>&1` duplicates stderr onto stdout. */
  readonly fd: 1 | 2 | 'both';
  readonly op: '>' | '>>' | '>&1';
  readonly target?: Word;
}

export interface SimpleCommand {
  readonly kind?: undefined;
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
  /** Body of a here-document (`<<EOF`), the command's standard input. */
  heredoc?: { readonly delimiter: string; body: string; readonly expand: boolean; readonly stripTabs: boolean };
}

/** `for NAME [in WORDS]; do BODY; done`: BODY runs once per expanded word, with NAME set to it. */
export interface ForLoop {
  readonly kind: 'for';
  readonly name: string;
  readonly items: readonly Word[];
  readonly body: Script;
  readonly redirects: readonly Redirect[];
}

export type Command = SimpleCommand | ForLoop;

/** `a | b | c` */
export type Pipeline = readonly Command[];

/** A list: pipelines joined by `;`, newlines, `&&`, `||`. The first entry's `op` is `;`. */
export type Script = readonly { readonly op: ';' | '&&' | '||'; readonly pipeline: Pipeline }[];
