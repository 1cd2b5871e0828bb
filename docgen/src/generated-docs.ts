// The pages `gatehouse docs` writes, by file name. The gen-check test compares them with docs/.
import { renderDiagnosticsReference } from './diagnostics-reference.ts';
import { renderRegistryReference } from './registry-reference.ts';

export const GENERATED_DOCS: readonly { readonly file: string; readonly render: () => string }[] = [
  { file: 'registry-reference.md', render: renderRegistryReference },
  { file: 'diagnostics.md', render: renderDiagnosticsReference },
];
