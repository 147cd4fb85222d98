// Table and column names of the hand-written statements, taken from the enums Prisma generates
// from prisma/schema.prisma: a model or a field renamed there no longer type-checks here, instead
// of failing at run time on the hot paths. Identifiers come out double-quoted, as both SQLite and
// PostgreSQL read them (Prisma creates them case-sensitive).
import { Prisma } from "../generated/sqlite/client.ts";

const FIELDS = {
  AccessToken: Prisma.AccessTokenScalarFieldEnum,
  AuditEvent: Prisma.AuditEventScalarFieldEnum,
  AuthorizationCode: Prisma.AuthorizationCodeScalarFieldEnum,
  Client: Prisma.ClientScalarFieldEnum,
  Grant: Prisma.GrantScalarFieldEnum,
  Interaction: Prisma.InteractionScalarFieldEnum,
  RefreshToken: Prisma.RefreshTokenScalarFieldEnum,
  Session: Prisma.SessionScalarFieldEnum,
  User: Prisma.UserScalarFieldEnum,
} as const;

export type Model = keyof typeof FIELDS & Prisma.ModelName;
export type Columns<M extends Model> = { readonly [F in keyof (typeof FIELDS)[M]]: string };

/** `"Model"`: the table of a model. */
export function table<M extends Model>(model: M): string {
  return `"${Prisma.ModelName[model]}"`;
}

/** The model's columns, quoted, and prefixed with `alias.` when given: `columns("User", "u").email` is `u."email"`. */
export function columns<M extends Model>(model: M, alias?: string): Columns<M> {
  const prefix = alias ? `${alias}.` : "";
  return Object.fromEntries(Object.values(FIELDS[model]).map((field) => [field, `${prefix}"${field}"`])) as unknown as Columns<M>;
}
