// `serve --artifacts` flags: a URL is taken as is (a folder is resolved), the fetch limits apply to
// a URL only, and intervals and limits must be positive numbers. Each refusal is a usage error
// raised before anything starts.
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/src/serve-command.ts';
import { UsageError } from '../../cli/src/usage-error.ts';

const serve = (...flags: string[]) => run(['--insecure-plaintext', ...flags]);

describe('serve --artifacts flags', () => {
  it('refuses the fetch limits with a folder', async () => {
    await expect(serve('--artifacts', 'dist', '--artifacts-timeout', '5')).rejects.toThrow(UsageError);
    await expect(serve('--artifacts', 'dist', '--artifacts-max-bytes', '1000')).rejects.toThrow(/apply to an http\(s\) --artifacts URL only/);
  });

  it('refuses intervals and limits that are not positive numbers', async () => {
    await expect(serve('--artifacts', 'https://example.com/sets/', '--artifacts-poll-interval', '0')).rejects.toThrow(
      /--artifacts-poll-interval must be a positive number \(got "0"\)/,
    );
    await expect(serve('--artifacts', 'https://example.com/sets/', '--artifacts-timeout', 'soon')).rejects.toThrow(/--artifacts-timeout must be a positive number/);
    await expect(serve('--artifacts', 'https://example.com/sets/', '--artifacts-max-bytes', '-1')).rejects.toThrow(/--artifacts-max-bytes/);
  });
});
