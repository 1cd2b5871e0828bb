#!/usr/bin/env node
// The gatehouse CLI. In the published package it runs the compiled JavaScript in lib/ (npm run build;
// the package ships no TypeScript sources and has no TypeScript loader). In a clone, where the sources
// are beside this file, it runs them through tsx's loader instead: the tests and `npm start` then always
// run the current code, with no build step to forget, and a fresh clone's postinstall (`tools install`,
// which npm runs before `prepare` builds lib/) works before anything is compiled.
import { existsSync } from 'node:fs';

const sources = new URL('../cli/src/main.ts', import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import('../lib/cli/src/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
