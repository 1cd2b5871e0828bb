// Prompt injection in tool results: text that addresses the model instead of the user
// ("ignore previous instructions"), text hidden from the human reading along (zero-width and bidi
// control characters, HTML comments), and links that would carry data out when a client renders
// them (markdown images with a query string).
import { at, scan, type Finding } from './finding.ts';

const INSTRUCTIONS: readonly { readonly pattern: RegExp; readonly confidence: number }[] = [
  { pattern: /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|system)\s+(?:instructions|prompts?|rules|messages)\b/gi, confidence: 0.95 },
  { pattern: /\b(?:you are now|from now on,? you (?:are|will|must))\b/gi, confidence: 0.7 },
  { pattern: /\b(?:new|updated|real) (?:system )?instructions?\s*:/gi, confidence: 0.8 },
  { pattern: /<\/?(?:system|assistant|instructions?)>|\[\/?INST\]|<\|im_start\|>/gi, confidence: 0.9 },
  { pattern: /\b(?:do not|don't) (?:tell|inform|mention (?:this )?to) the user\b/gi, confidence: 0.85 },
  { pattern: /\b(?:call|invoke|use) the [A-Za-z0-9_.-]{1,64} tool (?:to|and) (?:send|forward|email|upload|post)\b/gi, confidence: 0.8 },
];

export function detectPromptInjection(text: string): Finding[] {
  return INSTRUCTIONS.flatMap(({ pattern, confidence }) => scan(text, pattern, (m) => at(m, confidence)));
}

/** Zero-width characters, bidi controls and Unicode tag characters: invisible to a reader, read by a model. */
export function detectHiddenText(text: string): Finding[] {
  const invisible = scan(text, /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]+|(?:\uDB40[\uDC00-\uDC7F])+/g, (m) =>
    at(m, m[0].length > 1 || /[\u202A-\u202E\u2066-\u2069]/.test(m[0]) ? 0.9 : 0.6, 'invisible-characters'),
  );
  const comments = scan(text, /<!--[\s\S]{0,4000}?-->/g, (m) => at(m, 0.7, 'html-comment'));
  return [...invisible, ...comments];
}

/** Markdown images (fetched by the client on render) and links whose query carries data. */
export function detectExfiltrationLink(text: string): Finding[] {
  const images = scan(text, /!\[[^\]\n]{0,200}\]\(\s*<?https?:\/\/[^)\s]{1,2000}\)/g, (m) =>
    at(m, /\?[^)]*=/.test(m[0]) ? 0.9 : 0.6, 'markdown-image'),
  );
  const links = scan(text, /\bhttps?:\/\/[^\s)"'<>]{1,2000}\?[^\s)"'<>]{0,2000}=(?:[A-Za-z0-9+/_%-]{40,}|[^\s)"'<>&]*(?:%7B|\{|secret|token|password|key)[^\s)"'<>&]*)/gi, (m) =>
    images.some((i) => i.start <= m.index && m.index < i.end) ? undefined : at(m, 0.7, 'data-in-query'),
  );
  return [...images, ...links];
}
