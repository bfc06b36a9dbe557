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

/** A calendar day, YYYY-MM-DD. The date format lets "0000-01-01" through, but PostgreSQL has no year 0 (a 500). */
export const LocalDate = Type.String({ format: 'date', pattern: '^(?!0000)', description: 'Ngày (giờ Việt Nam), YYYY-MM-DD' });

/** The problem responses a route can give, by status. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
}
