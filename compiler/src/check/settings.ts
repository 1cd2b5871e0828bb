// The CheckSettings of a revision: from its IR when the registry is valid, else read from the
// registry files on their own, so the Rego gates keep their configured levels when the registry
// has errors elsewhere.
import type { Ir, IrCheckSettings } from '../ir/types.ts';
import { resolveCheckSettings } from '../resolve/check-settings.ts';
import { parseRegistryFiles } from '../source/parse-yaml.ts';
import type { SourceTree } from '../source/read-tree.ts';
import { validateSchemas } from '../validate/validate-schema.ts';

export function checkSettingsOf(ir: Ir | undefined, tree: SourceTree): IrCheckSettings {
  if (ir) return ir.checkSettings;
  const parsed = parseRegistryFiles(tree.files).value ?? [];
  const valid = validateSchemas(parsed.filter((d) => (d.value as { kind?: unknown } | null)?.kind === 'CheckSettings'));
  return resolveCheckSettings(valid.value.CheckSettings).value;
}
