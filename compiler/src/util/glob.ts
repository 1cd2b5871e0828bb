// Tool selectors: a name, or a glob where `*` matches any run of characters.

export function isGlob(selector: string): boolean {
  return selector.includes('*');
}

/** The names a selector picks out of `names`, in their order. */
export function selectTools(selector: string, names: readonly string[]): string[] {
  if (!isGlob(selector)) return names.includes(selector) ? [selector] : [];
  const pattern = new RegExp(`^${selector.split('*').map(escapeRegExp).join('.*')}$`);
  return names.filter((name) => pattern.test(name));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
