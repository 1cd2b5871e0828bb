// Per-subject limits: how much one caller (a verified token's issuer and subject) may use of a
// virtual server, so that one caller cannot exhaust a server for everyone. A Gateway sets them for
// its virtual servers; a VirtualServer may override any of them.
import { Type, type Static } from '@sinclair/typebox';

const fields = {
  callsPerSecond: Type.Integer({
    minimum: 1,
    maximum: 100000,
    description: 'Requests per second one caller may send to a virtual server (Envoy token bucket, refilled every second). Default 20.',
  }),
  burst: Type.Integer({
    minimum: 1,
    maximum: 1000000,
    description: 'Requests one caller may send at once before `callsPerSecond` applies (the bucket size). At least `callsPerSecond`. Default 40.',
  }),
  sessions: Type.Integer({
    minimum: 1,
    maximum: 100000,
    description: 'MCP sessions one caller may hold open on a virtual server (opened by `initialize`, ended by DELETE or idle expiry). Default 64.',
  }),
  streams: Type.Integer({
    minimum: 1,
    maximum: 100000,
    description: 'GET event streams one caller may hold open on a virtual server at once. Default 16.',
  }),
};

const DESCRIPTION =
  'Per-caller limits (by verified issuer and subject). Over a limit the caller gets 429 with a JSON-RPC error, and `Retry-After` for ' +
  '`callsPerSecond`. Sessions and streams are counted by each control-plane replica.';

export function SubjectLimitsOf(description: string) {
  return Type.Object(
    {
      callsPerSecond: Type.Optional(fields.callsPerSecond),
      burst: Type.Optional(fields.burst),
      sessions: Type.Optional(fields.sessions),
      streams: Type.Optional(fields.streams),
    },
    { additionalProperties: false, description: `${description} ${DESCRIPTION}` },
  );
}

export type SubjectLimits = Static<ReturnType<typeof SubjectLimitsOf>>;
