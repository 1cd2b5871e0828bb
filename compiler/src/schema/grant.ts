// Grant: gives subjects access to tools of MCP servers.
import { Type, type Static } from '@sinclair/typebox';
import { NameRef, StringEnum, ToolSelector, documentSchema } from './common.ts';

export const GRANT_METHODS = [
  'tools/call', 'resources/read', 'resources/subscribe', 'resources/unsubscribe', 'prompts/get', 'completion/complete',
] as const;

/**
 * MCP capabilities in the words people use, and the methods each grants. Listing (tools/list,
 * resources/list, prompts/list) needs no grant: anyone with access to a virtual server may list.
 */
export const GRANT_CAPABILITIES = {
  'call-tools': ['tools/call'],
  'read-resources': ['resources/read'],
  'subscribe-resources': ['resources/subscribe', 'resources/unsubscribe'],
  'use-prompts': ['prompts/get'],
  complete: ['completion/complete'],
} as const satisfies Record<string, readonly (typeof GRANT_METHODS)[number][]>;

export type GrantCapability = keyof typeof GRANT_CAPABILITIES;
const CAPABILITY_NAMES = Object.keys(GRANT_CAPABILITIES) as GrantCapability[];

// `user:` stays loose here so that the old unscoped form (`user:<sub or email>`) gets its own
// diagnostic with a migration hint (validate/rules/principals.ts) rather than a pattern error.
export const Subject = Type.String({
  pattern: '^(team:[a-z][a-z0-9-]{0,62}|user:[^\\s]{1,256}|email:[^\\s@]{1,128}@[^\\s@]{1,255}|authenticated)$',
  description:
    '`team:<name>`; `user:<identity provider>/<sub>` (a subject as that provider names it); `email:<address>` (the provider\'s email claim, ' +
    'only in tokens with `email_verified: true`); or `authenticated` (anyone with a valid token). ' +
    'The unscoped `user:<sub or email>` of earlier versions is refused (`unscoped-user-principal`): write `user:<provider>/<sub>` or `email:<address>`.',
});

export const GrantSpec = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 2000, description: 'Why this access is granted, for reviewers.' })),
    subjects: Type.Array(Subject, { minItems: 1 }),
    access: Type.Array(
      Type.Object(
        {
          server: NameRef('The McpServer whose tools are granted'),
          tools: Type.Array(ToolSelector, { minItems: 1, description: 'Tool names or globs (`*` for every tool).' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, description: 'The servers, and the tools of each, that the subjects may use.' },
    ),
    capabilities: Type.Optional(
      Type.Array(StringEnum(CAPABILITY_NAMES, 'An MCP capability.'), {
        minItems: 1,
        description:
          'What the subjects may do, in words: `call-tools` (tools/call), `read-resources` (resources/read), `subscribe-resources` ' +
          '(resources/subscribe and resources/unsubscribe), `use-prompts` (prompts/get), `complete` (completion/complete). ' +
          'Adds to `methods`. With neither, `[call-tools]`: the subjects can list resources and prompts but not read or use them ' +
          '(lint says so). `tools` constrains call-tools; the others apply to the whole server.',
      }),
    ),
    methods: Type.Optional(
      Type.Array(StringEnum(GRANT_METHODS, 'An MCP method.'), {
        minItems: 1,
        description:
          'MCP methods granted, by their protocol names; adds to `capabilities`. Default `[tools/call]` when neither is given. ' +
          '`tools` constrains tools/call; the other methods apply to the whole server.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Who gets access, to which tools, for which MCP methods.' },
);

export const GrantDocument = documentSchema('Grant', GrantSpec, 'Gives subjects access to tools of MCP servers.');

export type GrantSpec = Static<typeof GrantSpec>;
export type GrantMethod = (typeof GRANT_METHODS)[number];
