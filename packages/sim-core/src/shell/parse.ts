/**
 * The shell's grammar: the part of bash a lab needs. Quotes ('…', "…"), backslash escapes and
 * backslash-newline continuation, `$VAR`, `${VAR}`, `${VAR:-default}`, `$?`, `$(command)`,
 * `$((arithmetic))`, comments, `;` / newline / `&&` / `||` lists, `|` pipelines,
 * `for NAME in WORDS; do LIST; done`, redirections (`>`, `>>`, `2>`, `2>&1`, `&>`) and
 * here-documents (`<<EOF`, `<<'EOF'`, `<<-EOF`).
 *
 * Parsing and expansion are separate: `export X=1 && echo $X` must see the new X, so words are
 * kept as parts and expanded just before their command runs (`expand.ts`).
 */

import type { Command, ForLoop, Redirect, Script, SimpleCommand, Word, WordPart } from './script';

export type { Command, ForLoop, Pipeline, Redirect, Script, SimpleCommand, Word, WordPart } from './script';

/** Words bash reserves at the start of a command (bash manual, "Reserved Words"). */
const CLOSERS = new Set(['do', 'done', 'then', 'fi', 'else', 'elif', 'esac', '}']);
const UNSUPPORTED_COMPOUNDS = new Set(['if', 'while', 'until', 'case', 'select', 'function', '{', '[[']);

export type ParseResult =
  | { readonly ok: true; readonly script: Script }
  | { readonly ok: false; readonly error: string };

/** What bash says when input ends inside a quote or after a trailing operator. */
export const eofError = (looking: string) =>
  `unexpected EOF while looking for matching \`${looking}'\nbash: syntax error: unexpected end of file`;

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_VARS = new Set(['?', '$', '#', '0']);

class ParseError extends Error {}

const unexpectedToken = (token: string) =>
  `syntax error near unexpected token \`${token === '\n' ? 'newline' : token}'`;

/** Scans `$(` … `)` text, minding quotes and nesting; returns the index after the `)`. */
function scanSubstitution(src: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ParseError(eofError("'"));
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
      if (i >= src.length) throw new ParseError(eofError('"'));
      i++;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw new ParseError(eofError(')'));
}

type MutableCommand = SimpleCommand & { words: Word[]; redirects: Redirect[] };
type MutableLoop = ForLoop & { redirects: Redirect[] };

/** The literal text of a word with no quotes or expansions (how bash recognises reserved words). */
function plainText(word: Word): string | undefined {
  if (word.length !== 1) return undefined;
  const part = word[0] as WordPart;
  return part.kind === 'text' && !part.quoted ? part.text : undefined;
}

/** Scans `$((` … `))`, minding nested parentheses; returns the index after the `))`. */
function scanArithmetic(src: string, start: number): number {
  let depth = 0;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth > 0) depth--;
      else if (src[i + 1] === ')') return i + 2;
      else throw new ParseError(unexpectedToken(')'));
    }
  }
  throw new ParseError(eofError(')'));
}

class Parser {
  private i = 0;
  private pendingHeredocs: SimpleCommand[] = [];

  constructor(private readonly src: string) {}

  parse(): Script {
    return this.parseList(undefined);
  }

  /**
   * A list up to the end of input, or, inside a compound command, up to its closing reserved
   * word (`done`), which is consumed.
   */
  private parseList(closer: string | undefined): Script {
    const script: { op: ';' | '&&' | '||'; pipeline: Command[] }[] = [];
    let op: ';' | '&&' | '||' = ';';
    let pipeline: Command[] = [];
    let command: MutableCommand = this.newCommand();
    let loop: MutableLoop | undefined;
    const commandIsEmpty = () =>
      !loop && command.words.length === 0 && command.redirects.length === 0 && !command.heredoc;
    /** After `|`, `&&` or `||` a command must follow (bash reads on to the next line for it). */
    const awaitingCommand = () => commandIsEmpty() && (pipeline.length > 0 || (op !== ';' && script.length > 0));
    const finishCommand = (token: string): void => {
      if (loop) {
        pipeline.push(loop);
        loop = undefined;
        return;
      }
      if (commandIsEmpty()) {
        if (pipeline.length > 0 || token === '|') throw new ParseError(unexpectedToken(token));
        return;
      }
      pipeline.push(command);
      command = this.newCommand();
    };
    const finishPipeline = (token: string): void => {
      if (pipeline.length === 0) {
        if (token === ';' || token === '&&' || token === '||') throw new ParseError(unexpectedToken(token));
        return;
      }
      script.push({ op, pipeline });
      pipeline = [];
      op = token === '&&' || token === '||' ? token : ';';
    };

    while (this.i < this.src.length) {
      const c = this.src[this.i] as string;
      const two = this.src.slice(this.i, this.i + 2);
      if (c === ' ' || c === '\t' || c === '\r') {
        this.i++;
        continue;
      }
      if (c === '\\' && this.src[this.i + 1] === '\n') {
        this.i += 2;
        continue;
      }
      if (c === '#') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
        continue;
      }
      if (c === '\n') {
        this.i++;
        this.readHeredocBodies();
        if (awaitingCommand()) continue;
        finishCommand('\n');
        finishPipeline('\n');
        continue;
      }
      if (two === '&&' || two === '||') {
        this.i += 2;
        finishCommand(two);
        finishPipeline(two);
        continue;
      }
      if (c === ';') {
        this.i++;
        if (this.src[this.i] === ';') throw new ParseError(unexpectedToken(';;'));
        finishCommand(';');
        finishPipeline(';');
        continue;
      }
      if (c === '|') {
        this.i++;
        finishCommand('|');
        continue;
      }
      if (c === '&' && two !== '&>') {
        throw new ParseError('background jobs (`&`) are not supported in the simulated shell');
      }
      if (c === '(' || c === ')') {
        if (c === '(' && commandIsEmpty())
          throw new ParseError('subshells `( … )` are not supported in the simulated shell');
        throw new ParseError(unexpectedToken(c));
      }
      if (this.tryRedirect(loop ?? command)) continue;
      const start = this.i;
      const word = this.readWord();
      const reserved = plainText(word);
      if (loop) throw new ParseError(unexpectedToken(reserved ?? this.src.slice(start, this.i)));
      if (reserved !== undefined && commandIsEmpty()) {
        if (reserved === closer) {
          if (awaitingCommand() || (script.length === 0 && pipeline.length === 0))
            throw new ParseError(unexpectedToken(reserved));
          finishCommand(reserved);
          finishPipeline(reserved);
          return script;
        }
        if (reserved === 'for') {
          loop = this.parseFor();
          continue;
        }
        if (CLOSERS.has(reserved)) throw new ParseError(unexpectedToken(reserved));
        if (UNSUPPORTED_COMPOUNDS.has(reserved)) {
          throw new ParseError(
            `\`${reserved}' compound commands are not supported in the simulated shell (it runs \`for NAME in WORDS; do …; done' loops, lists and pipelines)`,
          );
        }
      }
      command.words.push(word);
    }
    this.readHeredocBodies();
    if (closer !== undefined || awaitingCommand()) throw new ParseError('syntax error: unexpected end of file');
    finishCommand('EOF');
    finishPipeline('EOF');
    return script;
  }

  private skipBlanks(newlines: boolean): void {
    while (this.i < this.src.length) {
      const c = this.src[this.i] as string;
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.i++;
      else if (c === '\\' && this.src[this.i + 1] === '\n') this.i += 2;
      else if (c === '#' && newlines) while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
      else return;
    }
  }

  /** After `for`: `NAME [in WORDS] ; do LIST done` (a newline may stand for the `;`). */
  private parseFor(): MutableLoop {
    this.skipBlanks(false);
    if (this.i >= this.src.length) throw new ParseError('syntax error: unexpected end of file');
    const name = plainText(this.readWord()) ?? '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ParseError(`\`${name}': not a valid identifier`);
    const items: Word[] = [];
    this.skipBlanks(true);
    const save = this.i;
    if (this.i < this.src.length && !/[;\n]/.test(this.src[this.i] as string) && plainText(this.readWord()) === 'in') {
      for (;;) {
        this.skipBlanks(false);
        const c = this.src[this.i];
        if (c === undefined || c === ';' || c === '\n') break;
        if (/[|&<>()]/.test(c)) throw new ParseError(unexpectedToken(c));
        items.push(this.readWord());
      }
    } else this.i = save;
    // The list ends at `;` or a newline; then `do`, possibly after blank lines.
    if (this.src[this.i] === ';' || this.src[this.i] === '\n') this.i++;
    this.skipBlanks(true);
    if (this.i >= this.src.length) throw new ParseError('syntax error: unexpected end of file');
    const start = this.i;
    const keyword = /[;|&()<>]/.test(this.src[this.i] as string) ? undefined : plainText(this.readWord());
    if (keyword !== 'do') throw new ParseError(unexpectedToken(keyword ?? this.src.slice(start, start + 1)));
    const body = this.parseList('done');
    return { kind: 'for', name, items, body, redirects: [] };
  }

  private newCommand(): MutableCommand {
    return { words: [], redirects: [] };
  }

  private tryRedirect(command: MutableCommand | MutableLoop): boolean {
    const rest = this.src.slice(this.i);
    const dup = /^(2>&1|1>&2|>&2)/.exec(rest);
    if (dup) {
      this.i += (dup[1] as string).length;
      if (dup[1] === '2>&1') command.redirects.push({ fd: 2, op: '>&1' });
      // Writing to stderr changes nothing a transcript shows: accept and ignore.
      return true;
    }
    const heredoc = /^<<(-?)[ \t]*/.exec(rest);
    if (heredoc) {
      if (command.kind === 'for')
        throw new ParseError('a here-document after `done` is not supported in the simulated shell');
      this.i += heredoc[0].length;
      const word = this.readWord();
      const quoted = word.some((p) => p.kind === 'text' && p.quoted);
      const delimiter = word.map((p) => (p.kind === 'text' ? p.text : '')).join('');
      if (!delimiter) throw new ParseError("syntax error near unexpected token `newline'");
      command.heredoc = { delimiter, body: '', expand: !quoted, stripTabs: heredoc[1] === '-' };
      this.pendingHeredocs.push(command);
      return true;
    }
    const redirect = /^(&>|2>>|2>|1>>|1>|>>|>)[ \t]*/.exec(rest);
    if (!redirect) {
      if (rest[0] === '<')
        throw new ParseError('input redirection (`<`) is not supported in the simulated shell; use a here-document');
      return false;
    }
    this.i += redirect[0].length;
    const op = redirect[1] as string;
    if (this.i >= this.src.length || /[\n;|&]/.test(this.src[this.i] as string)) {
      throw new ParseError("syntax error near unexpected token `newline'");
    }
    const target = this.readWord();
    const fd = op === '&>' ? 'both' : op.startsWith('2') ? 2 : 1;
    command.redirects.push({ fd, op: op.endsWith('>>') ? '>>' : '>', target });
    return true;
  }

  private readHeredocBodies(): void {
    for (const command of this.pendingHeredocs) {
      const heredoc = command.heredoc;
      if (!heredoc) continue;
      const lines: string[] = [];
      let found = false;
      while (this.i < this.src.length) {
        const end = this.src.indexOf('\n', this.i);
        const line = this.src.slice(this.i, end < 0 ? this.src.length : end);
        this.i = end < 0 ? this.src.length : end + 1;
        const compare = heredoc.stripTabs ? line.replace(/^\t+/, '') : line;
        if (compare === heredoc.delimiter) {
          found = true;
          break;
        }
        lines.push(heredoc.stripTabs ? compare : line);
      }
      if (!found) {
        throw new ParseError(`unexpected end of file: here-document wanted \`${heredoc.delimiter}'`);
      }
      heredoc.body = lines.length ? `${lines.join('\n')}\n` : '';
    }
    this.pendingHeredocs = [];
  }

  /** Reads one word up to unquoted whitespace or an operator. */
  private readWord(): Word {
    const parts: WordPart[] = [];
    let text = '';
    const flush = (quoted: boolean) => {
      if (text || quoted) parts.push({ kind: 'text', text, quoted });
      text = '';
    };
    while (this.i < this.src.length) {
      const c = this.src[this.i] as string;
      if (/[ \t\n;|&<>()]/.test(c)) {
        // `2>` glued to a word (`cmd 2>/dev/null`) is still a redirect, only at a word start.
        break;
      }
      if (c === '\\') {
        const next = this.src[this.i + 1];
        this.i += 2;
        if (next === undefined) break;
        if (next === '\n') continue;
        flush(false);
        text = next;
        flush(true);
        continue;
      }
      if (c === "'") {
        flush(false);
        const end = this.src.indexOf("'", this.i + 1);
        if (end < 0) throw new ParseError(eofError("'"));
        text = this.src.slice(this.i + 1, end);
        flush(true);
        this.i = end + 1;
        continue;
      }
      if (c === '"') {
        flush(false);
        this.i++;
        this.readDoubleQuoted(parts);
        continue;
      }
      if (c === '$') {
        flush(false);
        const part = this.readDollar(false);
        if (part) parts.push(part);
        else text += '$';
        continue;
      }
      text += c;
      this.i++;
    }
    flush(false);
    return parts;
  }

  private readDoubleQuoted(parts: WordPart[]): void {
    let text = '';
    let sawAny = false;
    const flush = () => {
      if (text) parts.push({ kind: 'text', text, quoted: true });
      text = '';
    };
    while (this.i < this.src.length) {
      const c = this.src[this.i] as string;
      if (c === '"') {
        this.i++;
        flush();
        if (!sawAny) parts.push({ kind: 'text', text: '', quoted: true });
        return;
      }
      sawAny = true;
      if (c === '\\') {
        const next = this.src[this.i + 1];
        if (next === '\n') {
          this.i += 2;
          continue;
        }
        if (next !== undefined && '$`"\\'.includes(next)) {
          text += next;
          this.i += 2;
          continue;
        }
        text += c;
        this.i++;
        continue;
      }
      if (c === '$') {
        flush();
        const part = this.readDollar(true);
        if (part) parts.push(part);
        else text += '$';
        continue;
      }
      text += c;
      this.i++;
    }
    throw new ParseError(eofError('"'));
  }

  /** At a `$`: a variable, `${…}`, or `$(…)`; undefined for a lone `$`. */
  private readDollar(quoted: boolean): WordPart | undefined {
    const next = this.src[this.i + 1];
    if (next === '(' && this.src[this.i + 2] === '(') {
      const end = scanArithmetic(this.src, this.i + 3);
      const expression = this.src.slice(this.i + 3, end - 2);
      this.i = end;
      return { kind: 'arith', expression, quoted };
    }
    if (next === '(') {
      const end = scanSubstitution(this.src, this.i + 2);
      const script = this.src.slice(this.i + 2, end - 1);
      this.i = end;
      return { kind: 'subst', script, quoted };
    }
    if (next === '{') {
      const close = this.src.indexOf('}', this.i + 2);
      if (close < 0) throw new ParseError(eofError('}'));
      const inner = this.src.slice(this.i + 2, close);
      this.i = close + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#0])(?::-(.*)|(##?|%%?)(.*))?$/s.exec(inner);
      if (!m) throw new ParseError(`\${${inner}}: bad substitution`);
      const name = m[1] as string;
      if (m[3] !== undefined) {
        return { kind: 'var', name, quoted, trim: { op: m[3] as '#' | '##' | '%' | '%%', pattern: m[4] ?? '' } };
      }
      if (m[2] === undefined) return { kind: 'var', name, quoted };
      const fallback = new Parser(m[2]).readWord();
      return { kind: 'var', name, quoted, fallback };
    }
    if (next !== undefined && SPECIAL_VARS.has(next)) {
      this.i += 2;
      return { kind: 'var', name: next, quoted };
    }
    if (next === undefined || !NAME_START.test(next)) {
      this.i++;
      return undefined;
    }
    let j = this.i + 1;
    while (j < this.src.length && NAME_CHAR.test(this.src[j] as string)) j++;
    const name = this.src.slice(this.i + 1, j);
    this.i = j;
    return { kind: 'var', name, quoted };
  }
}

/** Parses a line (or several, with newlines) of shell input. Never throws. */
export function parseScript(text: string): ParseResult {
  try {
    return { ok: true, script: new Parser(text).parse() };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, error: error.message };
    return { ok: false, error: `syntax error: ${(error as Error).message}` };
  }
}

/**
 * True when the text cannot run yet because more lines would complete it: an open quote, a
 * trailing backslash, `&&`/`||`/`|` at the end, or a here-document without its delimiter.
 * The interactive shell and the stdin reader keep reading (bash's `> ` prompt) while this holds.
 */
export function needsMoreInput(text: string): boolean {
  if (/\\$/.test(text)) return true;
  const result = parseScript(text);
  return !result.ok && /unexpected (EOF|end of file)|here-document wanted/.test(result.error);
}
