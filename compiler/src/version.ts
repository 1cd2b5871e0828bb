// The compiler version, recorded in every manifest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../toolchain/src/package-root.ts';

const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };

export const VERSION: string = pkg.version;
