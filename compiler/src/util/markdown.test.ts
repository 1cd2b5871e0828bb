import { describe, expect, it } from 'vitest';
import { code, headingAnchor, table } from './markdown.ts';

describe('markdown', () => {
  it('escapes pipes and line breaks in table cells', () => {
    expect(table(['a', 'b'], [['x|y', 'one\ntwo']])).toBe('| a | b |\n| --- | --- |\n| x\\|y | one<br>two |');
  });

  it('fences code spans that contain backticks', () => {
    expect(code('plain')).toBe('`plain`');
    expect(code('a`b')).toBe('`` a`b ``');
  });

  it('computes GitHub heading anchors', () => {
    expect(headingAnchor('McpServer')).toBe('mcpserver');
    expect(headingAnchor('unknown-tool')).toBe('unknown-tool');
    expect(headingAnchor('Common fields')).toBe('common-fields');
  });
});
