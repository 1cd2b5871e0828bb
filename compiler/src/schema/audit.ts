// The audit settings of the registry: how a gateway's audit log is kept (Gateway.spec.audit) and
// how each tool's arguments appear in it (McpServer.spec.tools[].audit).
import { Type } from '@sinclair/typebox';
import { StringEnum } from './common.ts';

/** A duration for long periods: `90s`, `15m`, `24h`, `30d`. */
export const LongDuration = Type.String({ pattern: '^[0-9]+(s|m|h|d)$', description: 'A duration such as `60s`, `15m`, `24h` or `90d`.' });

/**
 * A path into a tool call's arguments: dot-separated keys, where `*` matches any one key or array
 * index and `**` any run of them (`card.number`, `items.*.iban`, `**.password`).
 */
export const RedactPath = Type.String({
  pattern: '^(\\*\\*|\\*|[A-Za-z0-9_$-]{1,128})(\\.(\\*\\*|\\*|[A-Za-z0-9_$-]{1,128})){0,15}$',
  description:
    'A path into the arguments: keys separated by `.`, `*` for any one key or array index, `**` for any run of them ' +
    '(`card.number`, `items.*.iban`, `**.password`).',
});

export const GatewayArgumentMode = StringEnum(
  ['digest', 'redacted'] as const,
  'How tool call arguments appear in audit records by default: `digest` (only the sha256 of the redacted arguments) or `redacted` ' +
    '(the arguments, with the redacted paths replaced). Raw arguments are only ever logged for tools that allow it.',
);

export const ToolArgumentMode = StringEnum(
  ['digest', 'redacted', 'raw'] as const,
  'How this tool\'s arguments appear in audit records: `digest`, `redacted`, or `raw` (as sent, nothing redacted). Default: the gateway\'s `audit.arguments`.',
);

export const GatewayAudit = Type.Object(
  {
    arguments: Type.Optional(GatewayArgumentMode),
    redact: Type.Optional(
      Type.Array(RedactPath, { maxItems: 100, description: 'Argument paths redacted in every tool call through this gateway (before the digest is taken).' }),
    ),
    rotate: Type.Optional(
      Type.Object(
        {
          maxBytes: Type.Optional(
            Type.Integer({ minimum: 4096, description: 'Start a new file when the current one reaches this size. Default 67108864 (64 MiB).' }),
          ),
          maxAge: Type.Optional(LongDuration),
        },
        { additionalProperties: false, description: 'When the control plane starts a new audit file. `maxAge` default 24h.' },
      ),
    ),
    retain: Type.Optional(
      Type.Object(
        {
          files: Type.Optional(Type.Integer({ minimum: 1, description: 'Keep at most this many files (the newest). Default: no limit.' })),
          maxAge: Type.Optional(LongDuration),
        },
        {
          additionalProperties: false,
          description: 'Which closed audit files are deleted (checked at each rotation and at start). Left out: every file is kept.',
        },
      ),
    ),
    checkpoint: Type.Optional(
      Type.Object(
        {
          records: Type.Optional(Type.Integer({ minimum: 1, description: 'Write a checkpoint after this many records. Default 1000.' })),
          interval: Type.Optional(LongDuration),
        },
        { additionalProperties: false, description: 'How often a checkpoint (the running record count and hash) is written. `interval` default 60s.' },
      ),
    ),
  },
  { additionalProperties: false, description: 'The audit log of this gateway\'s requests, kept by the control plane (docs/observability.md).' },
);

export const ToolResultMode = StringEnum(
  ['none', 'digest', 'payload'] as const,
  'What audit records keep of this tool\'s results: `none`, `digest` (the sha256 of the redacted result) or `payload` (the result, ' +
    'its `redact` paths replaced, up to `resultBytes`; beyond, cut and marked `truncated`). Default: `none`. How the call ended (`outcome`: ' +
    'an `isError` result or a JSON-RPC error inside a 200 is an error) is recorded whatever this says.',
);

export const ToolAudit = Type.Object(
  {
    arguments: Type.Optional(ToolArgumentMode),
    results: Type.Optional(ToolResultMode),
    resultBytes: Type.Optional(
      Type.Integer({ minimum: 256, maximum: 1048576, description: 'The largest result payload an audit record keeps whole, in bytes. Default 4096.' }),
    ),
    redact: Type.Optional(
      Type.Array(RedactPath, { maxItems: 100, description: 'Argument (and kept result) paths of this tool to redact, on top of the gateway\'s.' }),
    ),
  },
  { additionalProperties: false, description: 'How calls of this tool are recorded in the audit log.' },
);
