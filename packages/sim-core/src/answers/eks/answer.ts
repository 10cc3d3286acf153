import type { ClusterRecord } from '../../cluster/types';
import type { Command, CommandResult } from '../../engine/command-spec';
import type { AnswerModel } from '../model';
import { EKS_ERROR_TEXT, type EksError, eksError } from './errors';

/** An EKS operation's answer: the response document, or an EKS error. */
export type EksAnswer<T> = { readonly ok: true; readonly body: T } | { readonly ok: false; readonly error: EksError };

export const answer = <T>(body: T): EksAnswer<T> => ({ ok: true, body });
export const refuse = <T>(error: EksError): EksAnswer<T> => ({ ok: false, error });

/** A command without its undefined fields (what was not asked for is absent, as in JSON). */
export function command(type: string, fields: Record<string, unknown>): Command {
  return Object.fromEntries(
    Object.entries({ type, ...fields }).filter(([, value]) => value !== undefined),
  ) as unknown as Command;
}

export interface EksApiDeps {
  readonly model: AnswerModel;
  /** Applies a command (journalled on the server, logged as the shell's in the shell). */
  readonly apply: (command: Command) => CommandResult;
  /** Simulated now, for what EKS offers that day (versions, add-on builds). */
  readonly now: () => number;
}

/** What every group of operations reads: the cluster by name, and EKS's refusal when there is none. */
export function lookups(model: AnswerModel) {
  const find = (name: string): ClusterRecord | undefined => {
    const cluster = model.cluster.cluster;
    return cluster && cluster.name === name ? cluster : undefined;
  };
  const notFound = <T>(name: string) =>
    refuse<T>(eksError('ResourceNotFoundException', EKS_ERROR_TEXT.clusterNotFound(name), { clusterName: name }));
  const groupsOf = (clusterName: string) => model.nodegroups.all.filter((g) => g.clusterName === clusterName);
  return { find, notFound, groupsOf };
}
