// Guardrail: content rules on tool calls and their results (PII, secrets, prompt injection, an
// organisation's word and pattern lists), attached to servers, tools or virtual servers and
// enforced by the control plane's ext_proc processor on exactly the tools/call routes they cover.
import { Type, type Static } from '@sinclair/typebox';
import { DETECTOR_TYPES, GUARDRAIL_ACTIONS, GUARDRAIL_DIRECTIONS } from '../../../artifacts/src/guardrails/guardrail-set.ts';
import { DurationOf, NameRef, StringEnum, ToolSelector, documentSchema } from './common.ts';

export const GuardrailDetector = Type.Object(
  {
    type: StringEnum(
      DETECTOR_TYPES,
      'What to look for. PII: `email`, `phone`, `payment-card` (Luhn-checked), `iban` (mod-97-checked), `national-id` (US SSN, UK NINO); ' +
        '`secret` (well-known API key and token shapes, and high-entropy strings); in results: `prompt-injection` (instructions addressed to ' +
        'the model), `hidden-text` (zero-width and bidi characters, HTML comments), `exfiltration-link` (markdown images and links carrying ' +
        'data in their query); the organisation\'s own `words` and `regex` lists; `external` (an HTTP service, see `service`).',
    ),
    action: StringEnum(
      GUARDRAIL_ACTIONS,
      '`block`: the call fails with a JSON-RPC error naming the guardrail (nothing of it reaches the server, or the client); `redact`: each ' +
        'match is replaced in place by `[REDACTED:<type>]`; `log`: the call passes, the hit is recorded. Every hit is in the audit record and the metrics.',
    ),
    in: Type.Optional(
      StringEnum(
        GUARDRAIL_DIRECTIONS,
        'Where to look: the call\'s `arguments`, its `results` (streamed results event by event), or `both`. Default `both`; `results` for ' +
          '`prompt-injection`, `hidden-text` and `exfiltration-link`.',
      ),
    ),
    minConfidence: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description:
          'Findings the detector is less sure of are ignored (0..1). Default 0.5. For example a bare 10-digit number scores 0.6 as a phone number, ' +
          'one with a +country code 0.85; a Luhn-valid card number with a known issuer prefix 0.95; a high-entropy string 0.55, or 0.9 after `token=`.',
      }),
    ),
    words: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        minItems: 1,
        maxItems: 10000,
        description: 'For `words`: words and phrases, matched whole-word and case-insensitively.',
      }),
    ),
    patterns: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), {
        minItems: 1,
        maxItems: 1000,
        description:
          'For `regex`: JavaScript regular expressions (Unicode mode). Each is checked at compile time; patterns that could backtrack ' +
          'catastrophically (a quantified group that itself repeats, alternatives under a repeat that can match the same text) and ' +
          'backreferences are refused.',
      }),
    ),
    service: Type.Optional(
      Type.Object(
        {
          url: Type.String({
            pattern: '^https?://[^\\s/?#@]+(/[^\\s?#]*)?$',
            maxLength: 2048,
            description:
              'The detector\'s endpoint, called by the control plane with the Presidio analyzer shape: POST `{"text", "language", "entities", ' +
              '"score_threshold"}`, answered with `[{"entity_type", "start", "end", "score"}]` (for example `http://presidio-analyzer:3000/analyze`).',
          }),
          timeout: Type.Optional(DurationOf('How long to wait for an answer. Default 500ms')),
          onFailure: Type.Optional(
            StringEnum(
              ['block', 'allow'] as const,
              'What a timeout, an error or an unreadable answer means: `block` (fail closed, the default) or `allow` (the call passes, recorded).',
            ),
          ),
          language: Type.Optional(Type.String({ pattern: '^[a-z]{2}$', description: 'The language of the text (Presidio `language`). Default `en`.' })),
          entities: Type.Optional(
            Type.Array(Type.String({ pattern: '^[A-Z0-9_]{1,64}$' }), {
              description: 'The entity types to ask for, for example `PERSON`; default: every type the service knows.',
            }),
          ),
        },
        { additionalProperties: false, description: 'For `external`: the HTTP service that detects.' },
      ),
    ),
  },
  { additionalProperties: false, description: 'One detector and what to do with what it finds.' },
);

export const GuardrailSpec = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 2000, description: 'What this guardrail protects against, for reviewers.' }),
    appliesTo: Type.Object(
      {
        servers: Type.Optional(Type.Array(NameRef('An McpServer, every tool of it, wherever it is served'), { minItems: 1 })),
        tools: Type.Optional(
          Type.Array(
            Type.Object(
              {
                server: NameRef('The McpServer'),
                tools: Type.Array(ToolSelector, { minItems: 1, description: 'Its tools: names or globs.' }),
              },
              { additionalProperties: false },
            ),
            { minItems: 1, description: 'Tools of a server, wherever they are served.' },
          ),
        ),
        virtualServers: Type.Optional(Type.Array(NameRef('A VirtualServer, every tool called through it'), { minItems: 1 })),
      },
      { additionalProperties: false, description: 'The tool calls this guardrail inspects: any call that any entry covers. At least one entry.' },
    ),
    detectors: Type.Array(GuardrailDetector, { minItems: 1, maxItems: 64, description: 'The detectors, each with its action.' }),
    maxBodyBytes: Type.Optional(
      Type.Integer({
        minimum: 1024,
        maximum: 16777216,
        description:
          'The largest request body, response body or event inspected. Larger content cannot be inspected: the call fails closed when a ' +
          'detector of this guardrail blocks, and passes (recorded as a hit of type `oversize`) otherwise. Default 1048576 (1 MiB).',
      }),
    ),
  },
  { additionalProperties: false, description: 'Which tool calls to inspect, and for what.' },
);

export const GuardrailDocument = documentSchema(
  'Guardrail',
  GuardrailSpec,
  'Content rules on tool calls and results (PII, secrets, prompt injection, organisation lists), enforced in the data path.',
);

export type GuardrailSpec = Static<typeof GuardrailSpec>;
export type GuardrailDetector = Static<typeof GuardrailDetector>;
