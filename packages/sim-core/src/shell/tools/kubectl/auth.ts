import type { ToolInvocation } from '../../tool';
import type { KubectlFlags } from './flags';
import { alignColumns, printJson, printYaml } from './printers';
import { kubeCall, okJson, serverError } from './request';

interface UserInfo {
  readonly username?: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** Go's `%v` of a string slice: `[a b]`. */
const goSlice = (values: readonly string[]) => `[${values.join(' ')}]`;

/**
 * `kubectl auth whoami`: creates a SelfSubjectReview and prints its user info as kubectl does
 * (kubernetes/kubectl, pkg/cmd/auth/whoami.go: ATTRIBUTE/VALUE rows for Username, UID, Groups
 * and each Extra key in order; a Forbidden answer becomes kubectl's own sentence).
 */
export function auth(inv: ToolInvocation, flags: KubectlFlags, args: readonly string[]): number {
  const [verb] = args;
  if (verb !== 'whoami') {
    inv.err(
      verb === undefined
        ? 'Inspect authorization\n\nSimulated subcommands: whoami\n'
        : `error: unknown command "${verb}" for "kubectl auth"\n`,
    );
    return verb === undefined ? 0 : 1;
  }
  const answer = kubeCall(inv, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    body: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null } },
  });
  const review = okJson<{ status?: { userInfo?: UserInfo } }>(answer);
  if (!review) {
    inv.err(
      answer.code === 403
        ? 'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it\n'
        : serverError(answer),
    );
    return 1;
  }
  if (flags.output === 'json' || flags.output === 'yaml') {
    inv.out(flags.output === 'json' ? printJson(review) : printYaml(review));
    return 0;
  }
  const user = review.status?.userInfo ?? {};
  const rows: string[][] = [['ATTRIBUTE', 'VALUE']];
  if (user.username) rows.push(['Username', user.username]);
  if (user.uid) rows.push(['UID', user.uid]);
  if (user.groups?.length) rows.push(['Groups', goSlice(user.groups)]);
  for (const key of Object.keys(user.extra ?? {}).sort()) {
    rows.push([`Extra: ${key}`, goSlice(user.extra?.[key] ?? [])]);
  }
  inv.out(alignColumns(rows));
  return 0;
}
