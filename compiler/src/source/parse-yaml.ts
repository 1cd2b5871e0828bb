// Parses registry YAML into documents that remember where every node came from.
import { LineCounter, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Diagnostic, SourceLocation, Staged } from '../diagnostics/diagnostic.ts';
import { MAX_DOCUMENTS_PER_FILE, MAX_YAML_ALIASES } from './limits.ts';
import type { SourceFile } from './read-tree.ts';

/** A path into a document: object keys and array indexes. */
export type NodePath = readonly (string | number)[];

/** One YAML document, its plain value, and a way to find the line of any node in it. */
export interface ParsedDocument {
  readonly file: string;
  /** Index of the document within its file (files may hold several, separated by `---`). */
  readonly index: number;
  readonly value: unknown;
  /** Where the node at `path` is; falls back to the nearest existing parent. `key` points at the key rather than the value. */
  locate(path: NodePath, key?: boolean): SourceLocation;
}

/** Parses every registry file. Syntax errors become `yaml-syntax` diagnostics; other documents still parse. */
export function parseRegistryFiles(files: readonly SourceFile[]): Staged<ParsedDocument[]> {
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    if (file.kind !== 'registry') continue;
    if (file.text === undefined) {
      diagnostics.push({
        code: 'unreadable-file',
        severity: 'error',
        message: `cannot read ${file.path}: ${file.readError}`,
        location: { file: file.path, line: 1, column: 1 },
        hint: 'Check the file exists and is readable by the user running gatehouse.',
      });
      continue;
    }
    const parsed = parseFile(file.path, file.text);
    documents.push(...parsed.documents);
    diagnostics.push(...parsed.diagnostics);
  }
  return { value: documents, diagnostics };
}

export function parseFile(path: string, text: string): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, column: col };
  };
  if (text.includes('\u0000')) {
    return {
      documents,
      diagnostics: [
        { code: 'yaml-syntax', severity: 'error', message: `${path} is not a text file (it contains NUL bytes)`, location: { file: path, line: 1, column: 1 } },
      ],
    };
  }
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    diagnostics.push({ code: 'yaml-syntax', severity: 'error', message: 'unexpected content after the last document', location: at(0) });
  }
  const excess = list[MAX_DOCUMENTS_PER_FILE];
  if (excess) {
    diagnostics.push({
      code: 'too-many-documents',
      severity: 'error',
      message: `${path} holds ${list.length} YAML documents, over the limit of ${MAX_DOCUMENTS_PER_FILE} per file`,
      location: at(excess.range[0]),
      hint: `Split the file: each registry file may hold at most ${MAX_DOCUMENTS_PER_FILE} documents.`,
    });
    return { documents, diagnostics };
  }
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        diagnostics.push({
          code: 'yaml-syntax',
          severity: 'error',
          message: `YAML syntax error: ${firstLine(error.message)}`,
          location: at(errorOffset(text, error.message, error.pos[0])),
          hint: 'Fix the YAML syntax; `yamllint` or your editor\'s YAML support points at the same place.',
        });
      }
      return;
    }
    if (doc.contents === null) return; // an empty document, such as a trailing `---`
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      diagnostics.push({
        code: 'yaml-syntax',
        severity: 'error',
        message: `YAML cannot be used: ${firstLine(error instanceof Error ? error.message : String(error))}`,
        location: at(doc.contents.range[0]),
        hint: 'Registry documents may use YAML aliases only sparingly; write the values out.',
      });
      return;
    }
    documents.push({ file: path, index, value, locate: (nodePath, key) => at(offsetOf(doc, nodePath, key ?? false)) });
  });
  return { documents, diagnostics };
}

/** The start offset of the node at path, or of its nearest parent that exists. */
function offsetOf(doc: Document, path: NodePath, key: boolean): number {
  let node: Node | null = doc.contents;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      const keyNode = pair.key as Node;
      if (last && key) return keyNode.range?.[0] ?? offset;
      node = (pair.value as Node | null) ?? keyNode;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return offset;
      node = item;
    } else {
      return offset;
    }
    offset = node.range?.[0] ?? offset;
  }
  return offset;
}

/**
 * Where to point for a parse error. The parser notices a missing closing quote only at the end of
 * the file; the line that opened the quote is the one to fix.
 */
function errorOffset(text: string, message: string, offset: number): number {
  const quote = /Missing closing (["'])quote/.exec(message)?.[1];
  if (!quote) return offset;
  const before = text.slice(0, offset);
  for (let end = before.length; end > 0; ) {
    const start = before.lastIndexOf('\n', end - 1) + 1;
    const line = before.slice(start, end);
    if ((line.split(quote).length - 1) % 2 === 1) return start + line.indexOf(quote);
    end = start - 1;
  }
  return offset;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
