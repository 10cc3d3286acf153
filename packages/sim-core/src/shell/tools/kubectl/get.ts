import { type KubeObject, RESOURCES, type ResourceType, resourceByName } from '../../../answers/index';
import type { ToolInvocation } from '../../tool';
import type { KubectlFlags } from './flags';
import { asList, jsonPath, objectName, printJson, printTable, printYaml } from './printers';
import { kubeCall, okJson, resourceUrl, serverError, TABLE_ACCEPT } from './request';

/** What `kubectl get`'s arguments name: types with optional names (`pods a b`, `pods,svc`, `pod/a svc/b`). */
export type Targets = { resource: ResourceType; names: string[] }[];

export function parseTargets(inv: ToolInvocation, args: readonly string[]): Targets | number {
  const [first, ...rest] = args;
  if (first === undefined) {
    inv.err(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples\n',
    );
    return 1;
  }
  const byType = (name: string): ResourceType | undefined => {
    const r = resourceByName(name);
    if (!r) inv.err(`error: the server doesn't have a resource type "${name}"\n`);
    return r;
  };
  const targets: Targets = [];
  if (first.includes('/')) {
    for (const arg of args) {
      const [type = '', name = ''] = arg.split('/');
      if (!arg.includes('/')) {
        inv.err(
          `error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n`,
        );
        return 1;
      }
      const r = byType(type);
      if (!r) return 1;
      const found = targets.find((t) => t.resource === r);
      if (found) found.names.push(name);
      else targets.push({ resource: r, names: [name] });
    }
    return targets;
  }
  for (const type of first.split(',')) {
    if (type === 'all') {
      targets.push(
        ...RESOURCES.filter((r) => r.categories?.includes('all')).map((resource) => ({ resource, names: [] })),
      );
      continue;
    }
    const r = byType(type);
    if (!r) return 1;
    targets.push({ resource: r, names: [...rest] });
  }
  return targets;
}

/** The namespace a namespaced request uses: `-n`, else the context's (`default`); undefined with `-A`. */
export const namespaceOf = (flags: KubectlFlags): string | undefined =>
  flags.allNamespaces ? undefined : (flags.namespace ?? 'default');

function query(flags: KubectlFlags): string {
  const params = [
    ...(flags.selector ? [`labelSelector=${encodeURIComponent(flags.selector)}`] : []),
    ...(flags.fieldSelector ? [`fieldSelector=${encodeURIComponent(flags.fieldSelector)}`] : []),
  ];
  return params.length ? `?${params.join('&')}` : '';
}

/** The objects of one target, in full; missing names are reported on stderr. */
export function fetchObjects(
  inv: ToolInvocation,
  flags: KubectlFlags,
  target: Targets[number],
): { objects: KubeObject[]; failed: boolean } {
  const ns = namespaceOf(flags);
  if (target.names.length === 0) {
    const answer = kubeCall(inv, 'GET', `${resourceUrl(target.resource, ns)}${query(flags)}`);
    const list = okJson<{ items: KubeObject[] }>(answer);
    if (!list) inv.err(serverError(answer));
    return { objects: list?.items ?? [], failed: !list };
  }
  const objects: KubeObject[] = [];
  let failed = false;
  for (const name of target.names) {
    const answer = kubeCall(inv, 'GET', resourceUrl(target.resource, ns ?? 'default', name));
    const one = okJson<KubeObject>(answer);
    if (one) objects.push(one);
    else {
      inv.err(serverError(answer));
      failed = true;
    }
  }
  return { objects, failed };
}

/** `kubectl get`: server-side Tables printed as columns, or the objects as `-o json|yaml|name|jsonpath=`. */
export function get(inv: ToolInvocation, flags: KubectlFlags, args: readonly string[]): number {
  const targets = parseTargets(inv, args);
  if (typeof targets === 'number') return targets;
  const output = flags.output ?? '';
  const named = targets.some((t) => t.names.length > 0);
  let failed = false;
  if (output === '' || output === 'wide') {
    const blocks: string[] = [];
    for (const target of targets) {
      const r = target.resource;
      const ns = namespaceOf(flags);
      const answers = target.names.length
        ? target.names.map((name) =>
            kubeCall(inv, 'GET', resourceUrl(r, ns ?? 'default', name), { accept: TABLE_ACCEPT }),
          )
        : [kubeCall(inv, 'GET', `${resourceUrl(r, ns)}${query(flags)}`, { accept: TABLE_ACCEPT })];
      type Table = Parameters<typeof printTable>[0];
      let table: Table | undefined;
      for (const answer of answers) {
        const t = okJson<Table>(answer);
        if (!t) {
          inv.err(serverError(answer));
          failed = true;
          continue;
        }
        table = table ? { ...table, rows: [...table.rows, ...t.rows] } : t;
      }
      if (!table || table.rows.length === 0) continue;
      // Several types at once: each name carries its type, as kubectl prints them.
      if (targets.length > 1) {
        table = {
          ...table,
          rows: table.rows.map((row) => ({
            ...row,
            cells: row.cells.map((c, i) =>
              i === 0 ? `${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}/${c}` : c,
            ),
          })),
        };
      }
      blocks.push(
        printTable(table, {
          wide: output === 'wide',
          withNamespace: flags.allNamespaces && r.namespaced,
          noHeaders: flags.noHeaders,
        }),
      );
    }
    if (blocks.length === 0 && !named && !failed) {
      const ns = namespaceOf(flags);
      const scoped = targets.some((t) => t.resource.namespaced) && ns !== undefined;
      inv.err(scoped ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
      return 0;
    }
    inv.out(blocks.join('\n'));
    return failed ? 1 : 0;
  }
  const fetched = targets.map((t) => ({ target: t, ...fetchObjects(inv, flags, t) }));
  failed = fetched.some((f) => f.failed);
  const objects = fetched.flatMap((f) => f.objects);
  const single = targets.length === 1 && targets[0]?.names.length === 1;
  const document = single && objects[0] ? objects[0] : asList(objects);
  if (output === 'name') {
    inv.out(fetched.flatMap((f) => f.objects.map((o) => `${objectName(f.target.resource, o)}\n`)).join(''));
  } else if (output === 'json') {
    inv.out(printJson(document));
  } else if (output === 'yaml') {
    inv.out(printYaml(document));
  } else if (output.startsWith('jsonpath=') || output.startsWith('jsonpath')) {
    const template = output.replace(/^jsonpath=?/, '');
    const text = jsonPath(template, document);
    if (typeof text !== 'string') {
      inv.err(`error: ${text.error}\n`);
      return 1;
    }
    inv.out(text);
  } else {
    inv.err(
      `error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n`,
    );
    return 1;
  }
  return failed ? 1 : 0;
}
