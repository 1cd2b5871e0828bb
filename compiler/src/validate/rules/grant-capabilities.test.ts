import { describe, expect, it } from 'vitest';
import { grantedMethods } from '../../resolve/build-ir.ts';
import { parseRegistryFiles } from '../../source/parse-yaml.ts';
import { validateSchemas } from '../validate-schema.ts';
import { ruleContext } from './context.ts';
import { grantCapabilities } from './grant-capabilities.ts';

const grant = (extra: string) => `apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: g
spec:
  subjects: [team:ops]
  access:
    - server: wiki
      tools: ["*"]
${extra}`;

function lint(text: string) {
  const schema = validateSchemas(parseRegistryFiles([{ path: 'registry/g.yaml', kind: 'registry', text }]).value ?? []);
  expect(schema.diagnostics).toEqual([]);
  return grantCapabilities(ruleContext(schema.value, new Map())).map((d) => `${d.severity} ${d.code}: ${d.message}`);
}

describe('grant capabilities', () => {
  it('expands words to methods, adds raw methods, and defaults to tools/call when neither is given', () => {
    expect(grantedMethods({})).toEqual(['tools/call']);
    expect(grantedMethods({ capabilities: ['read-resources', 'subscribe-resources', 'use-prompts', 'complete'] })).toEqual([
      'completion/complete', 'prompts/get', 'resources/read', 'resources/subscribe', 'resources/unsubscribe',
    ]);
    expect(grantedMethods({ capabilities: ['call-tools'], methods: ['resources/read', 'tools/call'] })).toEqual(['resources/read', 'tools/call']);
  });

  it('notes a grant that leaves what its subjects may do to the default', () => {
    expect(lint(grant(''))).toEqual([
      'info grant-default-capabilities: Grant "g" gives call-tools only (the default): its subjects can list the resources and prompts of wiki ' +
      'but not read, subscribe to or use them',
    ]);
    expect(lint(grant('  capabilities: [call-tools]\n'))).toEqual([]);
    expect(lint(grant('  methods: [tools/call]\n'))).toEqual([]);
  });

  it('warns when subjects may subscribe to resources they may not read', () => {
    const warning = 'warning subscribe-without-read: Grant "g" lets its subjects subscribe to resources of wiki but not read them, ' +
      'so an update notice is all they get';
    expect(lint(grant('  capabilities: [subscribe-resources]\n'))).toEqual([warning]);
    expect(lint(grant('  methods: [resources/subscribe]\n'))).toEqual([warning]);
    expect(lint(grant('  capabilities: [subscribe-resources, read-resources]\n'))).toEqual([]);
    expect(lint(grant('  capabilities: [subscribe-resources]\n  methods: [resources/read]\n'))).toEqual([]);
  });
});
