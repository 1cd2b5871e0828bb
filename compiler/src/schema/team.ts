// Team: a group of people, mapped from identity-provider groups.
import { Type, type Static } from '@sinclair/typebox';
import { CLASSIFICATIONS, NameRef, StringEnum, documentSchema } from './common.ts';

export const TeamSpec = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 2000, description: 'Who the team is, for reviewers.' })),
    costCenter: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Cost center the team\'s tool calls are billed to.' })),
    clearance: Type.Optional(
      StringEnum(CLASSIFICATIONS, 'The most sensitive data classification the team may reach (public, internal, confidential, restricted). Default internal.'),
    ),
    idpGroups: Type.Array(
      Type.Object(
        {
          provider: NameRef('The IdentityProvider whose tokens carry the group'),
          group: Type.String({
            minLength: 1,
            maxLength: 256,
            pattern: '^[^\\u0000-\\u001f]+$',
            description: 'The group as it appears in the token\'s groups claim (no control characters).',
          }),
        },
        { additionalProperties: false },
      ),
      { description: 'Identity-provider groups whose members belong to this team.' },
    ),
  },
  { additionalProperties: false, description: 'Which identity-provider groups make up the team, and what data it may see.' },
);

export const TeamDocument = documentSchema('Team', TeamSpec, 'A team, whose members are recognised by their identity-provider groups.');

export type TeamSpec = Static<typeof TeamSpec>;
