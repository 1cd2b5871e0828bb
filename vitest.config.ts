import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (`*.test.ts`); cross-cutting and end-to-end tests live in test/.
// End-to-end tests start real Envoy processes on free ports, so two workers suit this 2-core machine.
export default defineConfig({
  test: {
    include: ['{artifacts,compiler,xds-server,review,audit,toolchain,docgen,demo,cli}/src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
