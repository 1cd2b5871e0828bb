// `serve --registry-api` and `--registry-namespace`: a mode it does not know, or a namespace that is
// not reverse-DNS, is a usage error raised before anything starts.
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/src/serve-command.ts';
import { UsageError } from '../../cli/src/usage-error.ts';

const serve = (...flags: string[]) => run(['--insecure-plaintext', '--artifacts', 'dist', ...flags]);

describe('serve registry API flags', () => {
  it('refuses an unknown mode, naming the choices', async () => {
    await expect(serve('--registry-api', 'open')).rejects.toThrow(/--registry-api must be one of admin, public, off \(got "open"\)/);
  });

  it('refuses a namespace that is not a reverse-DNS name', async () => {
    for (const namespace of ['acme', 'com.acme/mcp', 'com..acme', 'com.acme mcp']) {
      await expect(serve('--registry-namespace', namespace)).rejects.toThrow(UsageError);
    }
    await expect(serve('--registry-namespace', 'acme')).rejects.toThrow(/reverse-DNS name such as com\.example\.mcp \(got "acme"\)/);
  });
});
