import { Type, type TSchema } from '@fastify/type-provider-typebox';

/** Shared response schemas: the RFC 7807 problem every error answers with. */
const BilingualSchema = Type.Object({ vi: Type.String(), en: Type.String() }, { additionalProperties: false });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    messageVi: Type.String(),
    messageEn: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.Union([Type.String(), Type.Null()]), message: BilingualSchema }, { additionalProperties: false }))),
  },
  { $id: 'Problem', additionalProperties: false, description: 'RFC 7807 problem details' },
);

/** The problem responses a route can give, by status. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
}
