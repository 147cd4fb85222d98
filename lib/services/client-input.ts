// What an admin may set on a client, and how it is checked: the zod schemas of the client
// operations, then the protocol core's own validateClientMetadata, so redirect URIs, auth methods
// and scopes are judged by the same rules here (console and command line) as at dynamic
// registration (RFC 7591). Its OAuthError becomes a message next to the field it concerns.
import { z } from "zod";
import { OAuthError } from "../oauth/errors.ts";
import {
  AUTH_METHODS,
  isUnambiguousText,
  SUPPORTED_SCOPES,
  validateClientMetadata,
  type ClientMetadata,
} from "../oauth/registration/client-metadata.ts";
import { ID_TOKEN_SIGNING_ALGS, type IdTokenSigningAlg } from "../oauth/registration/registration-metadata.ts";
import { spaceList } from "../oauth/wire-values.ts";
import { ServiceError, type FieldErrors } from "./errors.ts";

// The core's own rule (client-metadata.ts), here as field messages: no control, bidirectional
// formatting or backslash characters in a name or a URI.
const SAFE_MESSAGE = "must not contain backslashes or invisible control characters";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const DAY = 86_400;

/** Lifetime bounds, in seconds, shown next to the fields too. */
export const TTL_BOUNDS = {
  accessTokenTtlSeconds: { min: 60, max: DAY },
  idTokenTtlSeconds: { min: 60, max: DAY },
  refreshTokenTtlSeconds: { min: 3600, max: 365 * DAY },
} as const;

/** How long the secrets a rotation replaces keep working, in hours (0: they stop at once). */
export const ROTATION_OVERLAP_HOURS = [0, 1, 24, 168] as const;

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const lines = (value: unknown) =>
  typeof value === "string"
    ? value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
    : value;
const words = (value: unknown) => (typeof value === "string" ? spaceList(value) : value);
const checkbox = (value: unknown) =>
  value === "on" || value === "true" ? true : value === "" || value === "false" || value === null ? false : value;

const safeName = z
  .string({ error: "Enter a name" })
  .trim()
  .min(1, "Enter a name")
  .max(100, "The name must be at most 100 characters")
  .refine((name) => isUnambiguousText(name), `The name ${SAFE_MESSAGE}`);

const uriList = (label: string) =>
  z.preprocess(
    lines,
    z
      .array(
        z
          .string()
          .max(2000, `A ${label} must be at most 2000 characters`)
          .refine((uri) => isUnambiguousText(uri), `A ${label} ${SAFE_MESSAGE}`),
      )
      .max(20, `At most 20 ${label}s`),
  );

/** A page about the client shown to users (RFC 7591 §2): https, or http on a loopback host. */
const pageUrl = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .max(2000, "At most 2000 characters")
    .refine((value) => isUnambiguousText(value), `The URL ${SAFE_MESSAGE}`)
    .refine(isPageUrl, "Enter an https URL (http only on 127.0.0.1, [::1] or localhost)")
    .optional(),
);

function isPageUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

const lifetime = (field: keyof typeof TTL_BOUNDS) => {
  const { min, max } = TTL_BOUNDS[field];
  const message = `Enter whole seconds from ${min} to ${max}, or leave empty for the server's default`;
  return z.preprocess(
    (value) => (typeof value === "string" ? (value.trim() === "" ? undefined : Number(value)) : value),
    z.number({ error: message }).int(message).min(min, message).max(max, message).optional(),
  );
};

const settingsShape = {
  name: safeName,
  // The shared metadata rules judge these two, in their own words (below).
  applicationType: z.string().max(20).default("web"),
  redirectUris: uriList("redirect URI"),
  postLogoutRedirectUris: uriList("post-logout redirect URI").default([]),
  scopes: z.preprocess(words, z.array(z.string().max(64)).min(1, "Choose at least one scope").max(10)).optional(),
  logoUri: pageUrl,
  clientUri: pageUrl,
  policyUri: pageUrl,
  tosUri: pageUrl,
  accessTokenTtlSeconds: lifetime("accessTokenTtlSeconds"),
  idTokenTtlSeconds: lifetime("idTokenTtlSeconds"),
  refreshTokenTtlSeconds: lifetime("refreshTokenTtlSeconds"),
  idTokenSignedResponseAlg: z.enum(ID_TOKEN_SIGNING_ALGS, { error: `Choose one of ${ID_TOKEN_SIGNING_ALGS.join(", ")}` }).default("RS256"),
  skipConsent: z.preprocess(checkbox, z.boolean()).default(false),
  requireMfa: z.preprocess(checkbox, z.boolean()).default(false),
};

const authMethod = z.string({ error: `Choose one of ${AUTH_METHODS.join(", ")}` }).max(40);

export const createClientSchema = z.object({ ...settingsShape, tokenEndpointAuthMethod: authMethod });
// Editing takes the same fields (the service refuses a change between public and confidential).
export const updateClientSchema = createClientSchema;
export type ClientSettingsInput = z.input<typeof createClientSchema>;

/** Every column an admin decides, validated. */
export interface ClientSettings extends ClientMetadata {
  readonly logoUri: string | null;
  readonly clientUri: string | null;
  readonly policyUri: string | null;
  readonly tosUri: string | null;
  readonly accessTokenTtlSeconds: number | null;
  readonly idTokenTtlSeconds: number | null;
  readonly refreshTokenTtlSeconds: number | null;
  readonly idTokenSignedResponseAlg: IdTokenSigningAlg;
  readonly skipConsent: boolean;
  /** Its users must have signed in with a second factor before it gets a code. */
  readonly requireMfa: boolean;
}

/** Which form field a metadata error concerns, by the error's own wording (client-metadata.ts). */
function fieldOf(error: OAuthError): string {
  const text = error.description;
  if (error.error === "invalid_redirect_uri") return text.startsWith("post-logout") ? "postLogoutRedirectUris" : "redirectUris";
  if (text.startsWith("client_name")) return "name";
  if (text.startsWith("application_type")) return "applicationType";
  if (text.startsWith("token_endpoint_auth_method")) return "tokenEndpointAuthMethod";
  if (text.startsWith("scope")) return "scopes";
  return "form";
}

/**
 * Validates a create or update form: the schema's problems and the shared metadata rules' together,
 * so the admin sees every field's problem at once (the metadata rules stop at their first).
 */
export function parseClientSettings(schema: typeof createClientSchema | typeof updateClientSchema, input: unknown): ClientSettings {
  const parsed = schema.safeParse(input);
  const fieldErrors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (fieldErrors[field] ??= []).push(message);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      add(
        issue.path
          .map(String)
          .join(".")
          .replace(/\.\d+$/, "") || "form",
        issue.message,
      );
  }
  const raw = (parsed.success ? parsed.data : input) as Partial<z.output<typeof createClientSchema>>;
  let metadata: ClientMetadata | undefined;
  try {
    metadata = validateClientMetadata({
      // The shared rules stop at their first problem and judge the name first: a name the schema
      // already refused is replaced, so the admin also hears about the redirect URIs and scopes.
      name: fieldErrors.name || typeof raw.name !== "string" ? "Application" : raw.name,
      applicationType: typeof raw.applicationType === "string" ? raw.applicationType : "web",
      tokenEndpointAuthMethod: typeof raw.tokenEndpointAuthMethod === "string" ? raw.tokenEndpointAuthMethod : undefined,
      redirectUris: stringsOf(lines(raw.redirectUris)),
      postLogoutRedirectUris: stringsOf(lines(raw.postLogoutRedirectUris)),
      scope: raw.scopes === undefined ? undefined : stringsOf(words(raw.scopes)).join(" "),
    });
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    const field = fieldOf(error);
    if (!fieldErrors[field]) add(field, error.description);
  }
  if (!parsed.success || !metadata) throw problems(fieldErrors);
  const data = parsed.data;
  return {
    ...metadata,
    logoUri: data.logoUri ?? null,
    clientUri: data.clientUri ?? null,
    policyUri: data.policyUri ?? null,
    tosUri: data.tosUri ?? null,
    accessTokenTtlSeconds: data.accessTokenTtlSeconds ?? null,
    idTokenTtlSeconds: data.idTokenTtlSeconds ?? null,
    refreshTokenTtlSeconds: data.refreshTokenTtlSeconds ?? null,
    idTokenSignedResponseAlg: data.idTokenSignedResponseAlg,
    skipConsent: data.skipConsent,
    requireMfa: data.requireMfa,
  };
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function problems(fieldErrors: FieldErrors): ServiceError {
  const count = Object.keys(fieldErrors).length;
  const first = Object.values(fieldErrors)[0]?.[0] ?? "Invalid input";
  return new ServiceError(count > 1 ? `Correct the ${count} fields marked below.` : first, fieldErrors);
}

export { SUPPORTED_SCOPES, AUTH_METHODS, ID_TOKEN_SIGNING_ALGS };
