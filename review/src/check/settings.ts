// The CheckSettings of a revision: from its IR when the registry is valid, else read from the
// registry files on their own, so the Rego gates keep their configured levels when the registry
// has errors elsewhere.
import type { Ir, IrCheckSettings } from '../../../compiler/src/ir/types.ts';
import { resolveCheckSettings } from '../../../compiler/src/resolve/check-settings.ts';
import { parseRegistryFiles } from '../../../compiler/src/source/parse-yaml.ts';
import type { SourceTree } from '../../../compiler/src/source/read-tree.ts';
import { validateSchemas } from '../../../compiler/src/validate/validate-schema.ts';

export function checkSettingsOf(ir: Ir | undefined, tree: SourceTree): IrCheckSettings {
  if (ir) return ir.checkSettings;
  const parsed = parseRegistryFiles(tree.files).value ?? [];
  const valid = validateSchemas(parsed.filter((d) => (d.value as { kind?: unknown } | null)?.kind === 'CheckSettings'));
  return resolveCheckSettings(valid.value.CheckSettings).value;
}
