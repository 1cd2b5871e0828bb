import { describe, expect, it } from 'vitest';
import type { IrCheckSettings, IrServer } from '../../../../compiler/src/ir/types.ts';
import type { GateFacts } from '../gate.ts';
import { sharedSecretRef } from './shared-secret-ref.ts';

const server = (name: string, host: string, secretRef?: string): IrServer =>
  ({
    name,
    upstream: { host },
    source: { file: `registry/mcp-servers/${name}.yaml`, line: 5 },
    ...(secretRef ? { credential: { secretRef, header: 'Authorization' } } : {}),
  }) as unknown as IrServer;

function facts(head: IrServer[], base: IrServer[] | undefined, sharedSecretRefs: IrCheckSettings['sharedSecretRefs'] = []): GateFacts {
  return {
    settings: { sharedSecretRefs } as unknown as IrCheckSettings,
    head: { ir: { servers: head }, policies: [] },
    ...(base ? { base: { ir: { servers: base }, policies: [] } } : {}),
    locate: { at: () => undefined },
  } as unknown as GateFacts;
}

const messages = (f: GateFacts): string[] => {
  const outcome = sharedSecretRef.run(f);
  return 'findings' in outcome ? outcome.findings.map((x) => x.message) : [`skipped: ${outcome.skipped}`];
};

describe('shared-secret-ref gate', () => {
  it('flags every server of a shared secretRef, naming the hosts', () => {
    const found = messages(facts([server('a', 'a.internal', 'pat'), server('b', 'b.example.com', 'pat'), server('c', 'c.internal', 'other')], undefined));
    expect(found).toEqual([
      'McpServer "a" sends credential secretRef "pat" to a.internal, and "b" (b.example.com) uses the same secretRef',
      'McpServer "b" sends credential secretRef "pat" to b.example.com, and "a" (a.internal) uses the same secretRef',
    ]);
  });

  it('accepts the servers CheckSettings sharedSecretRefs lists, and only those', () => {
    const head = [server('a', 'a.internal', 'pat'), server('b', 'b.internal', 'pat'), server('c', 'c.internal', 'pat')];
    expect(messages(facts(head, undefined, [{ secretRef: 'pat', servers: ['a', 'b', 'c'] }]))).toEqual([]);
    expect(messages(facts(head, undefined, [{ secretRef: 'pat', servers: ['a', 'b'] }]))).toEqual([
      'McpServer "c" sends credential secretRef "pat" to c.internal, and "a" (a.internal), "b" (b.internal) use the same secretRef',
    ]);
  });

  it('flags a credential that follows its server to a new host, unless allowed', () => {
    const base = [server('a', 'a.internal', 'pat')];
    const head = [server('a', 'evil.example.com', 'pat')];
    expect(messages(facts(head, base))).toEqual([
      'McpServer "a" now sends credential secretRef "pat" to evil.example.com (the base revision sent it to a.internal)',
    ]);
    expect(messages(facts(head, base, [{ secretRef: 'pat', servers: ['a'] }]))).toEqual([]);
    expect(messages(facts([server('a', 'A.internal', 'pat')], base))).toEqual([]);
  });
});
