import { describe, expect, it } from 'vitest';
import { expandWords } from '../../../packages/sim-core/src/shell/expand';
import { needsMoreInput, parseScript, type SimpleCommand } from '../../../packages/sim-core/src/shell/parse';

const vars: Record<string, string> = {
  CLUSTER_NAME: 'myeks',
  PubSubnet1: 'subnet-a',
  PubSubnet2: 'subnet-b',
  EMPTY: '',
  URL: 'https://abc.example.com/v',
};
const ctx = { lookup: (n: string) => vars[n], substitute: (s: string) => `<${s}>\n` };

/** The words of the first command of a one-line script, expanded. */
function words(line: string): string[] {
  const parsed = parseScript(line);
  if (!parsed.ok) throw new Error(parsed.error);
  return expandWords((parsed.script[0]?.pipeline[0] as SimpleCommand | undefined)?.words ?? [], ctx);
}

describe('the shell grammar (bash, as a lab types it)', () => {
  it("expands the seed's create line with its backslash-newline continuation into single words (docs/lessons/seed-week1.md)", () => {
    const line =
      'eksctl create cluster --name $CLUSTER_NAME --nodegroup-name=$CLUSTER_NAME-nodegroup \\\n--vpc-public-subnets "$PubSubnet1,$PubSubnet2" --verbose 4';
    expect(words(line)).toEqual([
      'eksctl',
      'create',
      'cluster',
      '--name',
      'myeks',
      '--nodegroup-name=myeks-nodegroup',
      '--vpc-public-subnets',
      'subnet-a,subnet-b',
      '--verbose',
      '4',
    ]);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  it('keeps single quotes literal, expands ${VAR} in double quotes, and drops an unquoted empty variable', () => {
    expect(words(`echo '$CLUSTER_NAME' "\${CLUSTER_NAME}x" $EMPTY "$EMPTY" a\\ b`)).toEqual([
      'echo',
      '$CLUSTER_NAME',
      'myeksx',
      '',
      'a b',
    ]);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  it('supports ${VAR:-default}, ${VAR#prefix}, ${VAR%%suffix} and $(command) without its trailing newline', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    expect(words('echo ${NOPE:-dflt} ${URL#https://} ${URL%%/*} "$(aws eks list-clusters)"')).toEqual([
      'echo',
      'dflt',
      'abc.example.com/v',
      'https:',
      '<aws eks list-clusters>',
    ]);
  });

  it('splits lists on ; && || and newlines, and pipelines on |', () => {
    const parsed = parseScript('a; b && c || d\ne | f');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.script.map((s) => s.op)).toEqual([';', ';', '&&', '||', ';']);
    expect(parsed.script[4]?.pipeline).toHaveLength(2);
  });

  it('ignores comments and reads here-documents as the command’s stdin', () => {
    const parsed = parseScript('# a comment\ncat > cluster.yaml <<EOF\nname: x\nEOF\necho done # trailing');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.script).toHaveLength(2);
    expect((parsed.script[0]?.pipeline[0] as SimpleCommand | undefined)?.heredoc?.body).toBe('name: x\n');
  });

  it("reports an unbalanced quote with bash's own message", () => {
    expect(parseScript('echo "abc')).toEqual({
      ok: false,
      error: 'unexpected EOF while looking for matching `"\'\nbash: syntax error: unexpected end of file',
    });
    expect(parseScript("echo 'abc")).toMatchObject({ ok: false, error: expect.stringContaining("matching `''") });
  });

  it('reports a misplaced operator as bash does', () => {
    expect(parseScript('&& ls')).toEqual({ ok: false, error: "syntax error near unexpected token `&&'" });
    expect(parseScript('ls ;;')).toMatchObject({ ok: false, error: "syntax error near unexpected token `;;'" });
    expect(parseScript('ls ; ;')).toMatchObject({ ok: false, error: "syntax error near unexpected token `;'" });
  });

  it('asks for more input after a trailing backslash, an open quote, a trailing && or an open here-document', () => {
    expect(needsMoreInput('eksctl create cluster \\')).toBe(true);
    expect(needsMoreInput('echo "abc')).toBe(true);
    expect(needsMoreInput('ls &&')).toBe(true);
    expect(needsMoreInput('cat <<EOF\nline')).toBe(true);
    expect(needsMoreInput('echo "abc"')).toBe(false);
    expect(needsMoreInput('&& ls')).toBe(false);
  });
});
