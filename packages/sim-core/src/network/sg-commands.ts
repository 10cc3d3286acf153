import { type Command, type CommandResult, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { SimContext } from '../engine/domain';
import { describeRule, parseRuleCommand, sameRule } from './rules';
import type { SecurityGroup } from './types';

/** What the rule commands need of the network: its groups, the log, and who to tell of a change. */
export interface RuleCommandPorts {
  /** A security group by id, name or unique name prefix, or why there is none. */
  find(ref: string): SecurityGroup | string;
  nameOf(id: string): string | undefined;
  emit: SimContext['emit'];
  changed(): void;
}

/** `sg.add-rule` and `sg.remove-rule`: AuthorizeSecurityGroupIngress/Egress and their Revoke twins. */
export function securityGroupRuleCommands(net: RuleCommandPorts): CommandSpec[] {
  return [
    {
      type: 'sg.add-rule',
      doc: 'Add a rule to a security group (AuthorizeSecurityGroupIngress/Egress). Reachability follows at once.',
      fields: RULE_FIELDS,
      handle: (c) => handleRule(net, c, 'add'),
    },
    {
      type: 'sg.remove-rule',
      doc: 'Remove a rule from a security group (RevokeSecurityGroupIngress/Egress).',
      fields: RULE_FIELDS,
      handle: (c) => handleRule(net, c, 'remove'),
    },
  ];
}

function handleRule(net: RuleCommandPorts, c: Command, op: 'add' | 'remove'): CommandResult {
  const group = net.find(String(c.group));
  if (typeof group === 'string') return fail('InvalidGroup.NotFound', group);
  const parsed = parseRuleCommand(c, (ref) => {
    const peer = net.find(ref);
    return typeof peer === 'string' ? undefined : peer.id;
  });
  if (typeof parsed === 'string') return fail('InvalidParameterValue', `${c.type}: ${parsed}`);
  const { direction, rule } = parsed;
  const rules = direction === 'ingress' ? group.ingress : group.egress;
  const existing = rules.findIndex((r) => sameRule(r, rule));
  const text = describeRule(rule, direction, net.nameOf);
  if (op === 'add') {
    if (existing >= 0) {
      return fail(
        'InvalidPermission.Duplicate',
        `the specified rule "${text}" already exists in ${group.id} (${group.name})`,
      );
    }
    rules.push(rule);
  } else {
    if (existing < 0) {
      return fail(
        'InvalidPermission.NotFound',
        `The specified rule does not exist in this security group: ${group.id} (${group.name}) has no ${direction} rule ${text}`,
      );
    }
    rules.splice(existing, 1);
  }
  const verb = op === 'add' ? 'added to' : 'removed from';
  const message = `${direction} rule ${text} ${verb} ${group.name}`;
  net.emit(op === 'add' ? 'sg.rule-added' : 'sg.rule-removed', `sg/${group.id}`, message, {
    groupId: group.id,
    direction,
    rule: { ...rule },
  });
  net.changed();
  return ok(message, { groupId: group.id, direction, rule });
}

const RULE_FIELDS = {
  group: { kind: 'string', required: true, doc: 'security group id, name, or unique name prefix' },
  direction: { kind: 'string', oneOf: ['ingress', 'egress'], doc: 'default ingress (inbound)' },
  protocol: { kind: 'string', oneOf: ['tcp', 'udp', 'icmp', 'all', '-1'], doc: 'default tcp' },
  port: { kind: 'integer', min: 0, max: 65535, doc: 'a single port, e.g. 443' },
  fromPort: { kind: 'integer', min: 0, max: 65535 },
  toPort: { kind: 'integer', min: 0, max: 65535 },
  source: {
    kind: 'string',
    required: true,
    doc: 'the peer: a CIDR (203.0.113.7/32) or a security group id, name or unique name prefix',
  },
  description: { kind: 'string' },
} as const;
