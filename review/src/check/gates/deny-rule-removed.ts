// Gate deny-rule-removed: the change removes a deny rule (an organisation rule) that the base has.
// Points at the file the rule was in, when the head still has it.
import { skipped, type Gate } from '../gate.ts';
import { denyRules, removedDenyRules } from '../rego/deny-rules.ts';

export const denyRuleRemoved: Gate = {
  code: 'deny-rule-removed',
  run(facts) {
    if (!facts.base) return skipped('needs --base');
    const head = facts.head.policies;
    const removed = removedDenyRules(denyRules(facts.base.policies), denyRules(head));
    return {
      findings: removed.map((rule) => {
        const file = head.find((f) => f.path === rule.file);
        const line = file?.text?.split('\n').findIndex((l) => l.startsWith('package ')) ?? -1;
        return {
          message: `the change removes a deny rule of package ${rule.package} ` +
            `(${rule.file}:${rule.line} in the base revision${file ? '' : ', a file the change deletes'}): \`${rule.summary}\``,
          ...(file ? { location: { file: rule.file, line: line + 1 || 1, column: 1 } } : {}),
          hint: 'Removing a deny rule widens access. If that is intended, have the rule\'s owners approve, or set the gate to warning for this change.',
        };
      }),
    };
  },
};
