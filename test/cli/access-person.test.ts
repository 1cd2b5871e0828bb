// `gatehouse access --subject email:ADDRESS`: what one person can do, through a direct grant, the
// grants to every authenticated user, and the teams they are in (teams do not list members: the
// person's token carries the groups, so the teams are given with --team).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { copyExampleRepo, tempDir } from '../../testkit/repo.ts';

const work = tempDir('gatehouse-access-person-');
afterAll(() => work.remove());

const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
let root = '';
const gatehouse = (args: string[]) => run(process.execPath, [BIN, 'access', '--root', root, ...args], { cwd: root, timeoutMs: 120_000 });

const DIRECT_GRANT = `apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: ana-lookups
spec:
  description: Ana edits the knowledge base.
  subjects: [email:ana@example.com]
  access:
    - server: docs
      tools: [get_page]
`;

beforeAll(() => {
  root = copyExampleRepo(join(work.path, 'repo'), { 'registry/grants/ana.yaml': DIRECT_GRANT });
});

interface Person {
  subject: string;
  teams: string[];
  servers: Record<string, string[]>;
  virtualServers: Record<string, string[]>;
  via: Record<string, string[]>;
  teamMapping: { team: string; group: string; claim: string }[];
  notes: string[];
}

describe('gatehouse access --subject email:ADDRESS', () => {
  it('answers from the direct grant and the grants to everyone, and explains team membership', async () => {
    const result = await gatehouse(['--subject', 'email:ana@example.com', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const person = JSON.parse(result.stdout) as Person;
    expect(person.servers).toEqual({ docs: ['get_page', 'search_docs'] });
    expect(person.via).toEqual({ 'docs/get_page': ['email:ana@example.com'], 'docs/search_docs': ['authenticated'] });
    expect(person.virtualServers['knowledge']).toEqual(['get_page', 'search_docs']);
    expect(person.teamMapping).toContainEqual({ team: 'support', provider: 'dev-idp', group: 'support-agents', claim: 'groups' });
    expect(person.notes.join(' ')).toContain('pass --team NAME for each team the person is in');
  });

  it('adds what their teams grant, as a table naming where each tool comes from', async () => {
    const result = await gatehouse(['--subject', 'email:ana@example.com', '--team', 'support']);
    // support's grant also has docs/get_page: both principals are named.
    expect(result.code, result.stderr).toBe(0);
    const row = (tool: string) => result.stdout.split('\n').find((l) => l.startsWith(`${tool} `))?.split(/\s{2,}/);
    expect(result.stdout.split('\n')[0]).toBe('email:ana@example.com (as a member of team:support)');
    expect(row('docs/get_page')).toEqual(['docs/get_page', 'low', 'email:ana@example.com, team:support']);
    expect(row('tickets/close_ticket')).toEqual(['tickets/close_ticket', 'medium', 'team:support']);
    expect(row('docs/search_docs')).toEqual(['docs/search_docs', 'low', 'authenticated, team:support']);
    expect(row('tickets/delete_ticket')).toBeUndefined(); // engineering only
    expect(result.stdout).toContain('team:support <- dev-idp group "support-agents" in claim "groups"');
  });

  it('exits 2 for an unknown team, and for --team without a user', async () => {
    const unknown = await gatehouse(['--subject', 'email:ana@example.com', '--team', 'nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown team "nobody"');
    const noUser = await gatehouse(['--team', 'support']);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain('--team goes with --subject email:ADDRESS');
  });
});
