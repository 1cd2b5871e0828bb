// The IdentityProvider and Team examples for Okta and Microsoft Entra ID (docs/examples/identity-providers/,
// explained in docs/identity-providers.md) pass the compiler's lint in a registry that uses them.
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { copyExampleRepo, tempDir } from '../../testkit/repo.ts';
import { trustingIssuers } from '../../testkit/example-identity.ts';

const EXAMPLES = join(PROJECT_ROOT, 'docs', 'examples', 'identity-providers');
const work = tempDir('gatehouse-idp-examples-');
afterAll(() => work.remove());

const lint = (root: string) => run(process.execPath, [join(PROJECT_ROOT, 'bin', 'gatehouse.mjs'), 'lint', '--root', root], { cwd: root, timeoutMs: 120_000 });
const documents = (stderr: string) => Number(/parse: (\d+) documents/.exec(stderr)?.[1]);

describe('identity-provider examples', () => {
  it('lint cleanly in a registry beside the example one, and are all read', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(['entra-id-team.yaml', 'entra-id.yaml', 'okta-team.yaml', 'okta.yaml']);
    // The example's token-exchange server is declared to accept their callers' tokens (else upstream-identity-trust).
    const root = copyExampleRepo(join(work.path, 'with-examples'), {}, (path, text) => trustingIssuers(path, text, ['entra', 'okta']));
    for (const file of files) {
      const folder = file.endsWith('-team.yaml') ? 'teams' : 'identity-providers';
      copyFileSync(join(EXAMPLES, file), join(root, 'registry', folder, `example-${file}`));
    }
    const base = await lint(copyExampleRepo(join(work.path, 'plain')));
    const result = await lint(root);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('no problems found');
    expect(documents(result.stderr)).toBe(documents(base.stderr) + files.length);
  });

  it('a team naming a provider that is not there fails lint (the check above has teeth)', async () => {
    const root = copyExampleRepo(join(work.path, 'team-only'));
    copyFileSync(join(EXAMPLES, 'okta-team.yaml'), join(root, 'registry', 'teams', 'example-okta-team.yaml'));
    const result = await lint(root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('okta');
  });
});
