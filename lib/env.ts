// The portal's configuration: process.env parsed once with zod. Every variable is documented in
// .env.example. A bad value stops the server with a message naming the variable and the reason.
import { z } from "zod";
import { passwordSchemaFor } from "./auth/password-policy.ts";
import { parseTrustProxy, type TrustProxy } from "./front/client-address.ts";
import { isUnambiguousText } from "./oauth/registration/client-metadata.ts";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const seconds = (fallback: number, max: number) =>
  z.coerce
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .min(1, "must be at least 1 second")
    .max(max, `must be at most ${max} seconds`)
    .default(fallback);

const schema = z.object({
  PORT: z.coerce
    .number({ error: "must be a port number" })
    .int("must be a port number")
    .min(1, "must be between 1 and 65535")
    .max(65535, "must be between 1 and 65535")
    .default(3000),
  HOST: z.string().min(1, "must not be empty").default("0.0.0.0"),
  ISSUER_URL: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      const problem = issuerProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  DATA_DIR: z.string().min(1, "must not be empty").default("./data"),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || /^(file:|postgres(ql)?:\/\/)/i.test(value), {
      message: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    }),
  // How long to wait for a PostgreSQL connection (opening one, or a free one from the pool), and
  // for one statement (SQLite: for another connection's lock), before a request answers 503.
  DATABASE_CONNECT_TIMEOUT_SECONDS: seconds(3, 300),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: seconds(5, 3600),
  PORTAL_SECRET: z.string().min(32, "must be at least 32 characters (for example: openssl rand -base64 48)").optional(),
  ADMIN_EMAIL: z.email("must be an email address").optional(),
  ADMIN_PASSWORD: passwordSchemaFor().optional(),
  BCRYPT_COST: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(4, "must be between 4 and 15")
    .max(15, "must be between 4 and 15")
    .default(12),
  // RFC 6749 §4.1.2 recommends at most 10 minutes for codes.
  CODE_TTL_SECONDS: seconds(60, 600),
  ACCESS_TOKEN_TTL_SECONDS: seconds(600, 86_400),
  ID_TOKEN_TTL_SECONDS: seconds(600, 86_400),
  REFRESH_TOKEN_TTL_SECONDS: seconds(30 * 86_400, 365 * 86_400),
  // A grant's refresh tokens end this long after the grant was created, however often they rotate.
  REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: seconds(90 * 86_400, 3650 * 86_400),
  // How long after a rotation the previous refresh token may be presented again (a lost response)
  // while its successor is unused; 0 revokes the grant at once, as RFC 9700 §4.14.2 describes.
  REFRESH_REUSE_GRACE_SECONDS: z.coerce
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .min(0, "must be between 0 and 300")
    .max(300, "must be between 0 and 300")
    .default(30),
  INTERACTION_TTL_SECONDS: seconds(900, 86_400),
  SESSION_IDLE_SECONDS: seconds(7 * 86_400, 365 * 86_400),
  SESSION_ABSOLUTE_SECONDS: seconds(30 * 86_400, 365 * 86_400),
  // How soon a running server sees keys rotated by `npm run keys:rotate` or another instance.
  KEY_RELOAD_SECONDS: seconds(60, 3600),
  // How often the server deletes rows that outlived every use (expired tokens, codes, sessions).
  PURGE_INTERVAL_SECONDS: seconds(900, 86_400),
  // How long the audit log keeps its events.
  AUDIT_RETENTION_DAYS: z.coerce
    .number({ error: "must be a whole number of days" })
    .int("must be a whole number of days")
    .min(1, "must be between 1 and 3650")
    .max(3650, "must be between 1 and 3650")
    .default(90),
  // An admin change needs a sign-in at most this old (the admin signs in again otherwise).
  ADMIN_REAUTH_SECONDS: seconds(900, 86_400),
  // The proxies in front of the portal whose X-Forwarded-For entries are believed: a number of
  // hops or their addresses. Unset: the socket's address, whatever a client claims.
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value);
      if ("problem" in parsed) {
        ctx.addIssue({ code: "custom", message: parsed.problem });
        return z.NEVER;
      }
      return parsed;
    }),
  // Host names (besides the issuer's and loopback) that requests may be addressed to.
  ALLOWED_HOSTS: z.string().default(""),
  // Requests served at once by one server process; more wait in a queue (four times as many, each
  // at most REQUEST_QUEUE_SECONDS), and the rest get 503 with Retry-After at once. Rendering a
  // screen is CPU work on one thread: more at once only makes each slower. Measured with
  // bench/overload.ts (200 connections loading /login): at 64 the slowest waited over 10 s, at
  // 16 none waited 5 s.
  MAX_CONCURRENT_REQUESTS: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 10000")
    .max(10_000, "must be between 1 and 10000")
    .default(16),
  REQUEST_QUEUE_SECONDS: seconds(2, 60),
  // Longer than the idle timeout of a load balancer in front (60 s on the common ones), so the
  // balancer, not the portal, closes an idle connection and never reuses one being closed.
  KEEP_ALIVE_TIMEOUT_SECONDS: seconds(65, 3600),
  // One JSON line per request on standard output (method, path, status, duration).
  ACCESS_LOG: z.enum(["on", "off"], { error: "must be on or off" }).default("off"),
  // Server processes sharing the port (node:cluster); each has its own caches.
  WEB_CONCURRENCY: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 64")
    .max(64, "must be between 1 and 64")
    .default(1),
  // Where mail goes (lib/mail): an smtp:// or smtps:// URL, with user:password@ if the relay needs
  // it. Unset: each message is written to the server's output instead.
  SMTP_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || smtpUrlOk(value), {
      message: "must be an smtp:// or smtps:// URL, such as smtp://user:password@mail.example.com:587",
    }),
  // The From of every message the portal sends.
  MAIL_FROM: z
    .string()
    .max(320, "must be at most 320 characters")
    .optional()
    .refine((value) => value === undefined || /@/.test(value), {
      message: 'must be an address, such as "Identity Portal <no-reply@id.example.com>"',
    }),
  // Whether new admin accounts must use a second factor (and set one up at their first sign-in).
  ADMIN_SECOND_FACTOR: z.enum(["required", "optional"], { error: "must be required or optional" }).default("required"),
  // Whether people may create their own account at /signup.
  SIGNUP_ENABLED: z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  // What people see at the top of every screen: the portal's name, and its logo.
  PORTAL_NAME: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(60, "must be at most 60 characters")
    .refine(isUnambiguousText, "must not contain backslashes, control or bidirectional formatting characters")
    .default("Identity Portal"),
  PORTAL_LOGO_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || logoUrlProblem(value) === undefined, {
      message: "must be an https URL, or a path on this site such as /logo.svg",
    }),
});

function smtpUrlOk(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export interface DatabaseTimeouts {
  readonly connectSeconds: number;
  readonly statementSeconds: number;
}

export interface FrontConfig {
  readonly trustProxy: TrustProxy;
  /** Host header values this server answers (lower case; with the port unless it is the default). */
  readonly allowedHosts: ReadonlySet<string>;
  readonly maxConcurrentRequests: number;
  readonly requestQueueSeconds: number;
  readonly keepAliveTimeoutSeconds: number;
  readonly accessLog: boolean;
  readonly workers: number;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  /** The issuer, byte for byte as it appears in tokens and discovery (no trailing slash). */
  readonly issuer: string;
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly databaseTimeouts: DatabaseTimeouts;
  /** Unset when the operator did not configure one; see lib/portal-secret.ts. */
  readonly portalSecret: string | undefined;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly bcryptCost: number;
  readonly codeTtlSeconds: number;
  readonly accessTokenTtlSeconds: number;
  readonly idTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly refreshTokenAbsoluteTtlSeconds: number;
  readonly refreshReuseGraceSeconds: number;
  readonly interactionTtlSeconds: number;
  readonly sessionIdleSeconds: number;
  readonly sessionAbsoluteSeconds: number;
  readonly keyReloadSeconds: number;
  readonly purgeIntervalSeconds: number;
  readonly adminReauthSeconds: number;
  readonly auditRetentionDays: number;
  readonly front: FrontConfig;
  /** Unset: mail is written to the server's output (lib/mail). */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly signupEnabled: boolean;
  /** "required": admin accounts created or promoted from now on must use a second factor. */
  readonly adminSecondFactor: "required" | "optional";
  /** Shown at the top of every screen and in page titles. */
  readonly portalName: string;
  /** An https URL or a path on this site; none: the name alone. */
  readonly portalLogoUrl: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses a set of environment variables; throws ConfigError listing every bad variable. */
export function parseEnv(source: Readonly<Record<string, string | undefined>>): Config {
  // An empty variable means unset: `FOO=` in a .env file must not be an empty secret.
  const present = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, source[key] === "" ? undefined : source[key]]));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const env = parsed.data;
  if (env.SESSION_IDLE_SECONDS > env.SESSION_ABSOLUTE_SECONDS) {
    throw new ConfigError(["SESSION_IDLE_SECONDS: must not exceed SESSION_ABSOLUTE_SECONDS"]);
  }
  const dataDir = env.DATA_DIR.replace(/\/+$/, "") || "/";
  const issuer = (env.ISSUER_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
  return {
    port: env.PORT,
    host: env.HOST,
    issuer,
    dataDir,
    databaseUrl: env.DATABASE_URL ?? `file:${dataDir}/portal.db`,
    databaseTimeouts: {
      connectSeconds: env.DATABASE_CONNECT_TIMEOUT_SECONDS,
      statementSeconds: env.DATABASE_STATEMENT_TIMEOUT_SECONDS,
    },
    portalSecret: env.PORTAL_SECRET,
    adminEmail: env.ADMIN_EMAIL?.toLowerCase(),
    adminPassword: env.ADMIN_PASSWORD,
    bcryptCost: env.BCRYPT_COST,
    codeTtlSeconds: env.CODE_TTL_SECONDS,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    idTokenTtlSeconds: env.ID_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    refreshTokenAbsoluteTtlSeconds: env.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS,
    refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
    interactionTtlSeconds: env.INTERACTION_TTL_SECONDS,
    sessionIdleSeconds: env.SESSION_IDLE_SECONDS,
    sessionAbsoluteSeconds: env.SESSION_ABSOLUTE_SECONDS,
    keyReloadSeconds: env.KEY_RELOAD_SECONDS,
    purgeIntervalSeconds: env.PURGE_INTERVAL_SECONDS,
    adminReauthSeconds: env.ADMIN_REAUTH_SECONDS,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    front: {
      trustProxy: env.TRUST_PROXY,
      allowedHosts: allowedHosts(issuer, env.PORT, env.ALLOWED_HOSTS),
      maxConcurrentRequests: env.MAX_CONCURRENT_REQUESTS,
      requestQueueSeconds: env.REQUEST_QUEUE_SECONDS,
      keepAliveTimeoutSeconds: env.KEEP_ALIVE_TIMEOUT_SECONDS,
      accessLog: env.ACCESS_LOG === "on",
      workers: env.WEB_CONCURRENCY,
    },
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM ?? `Identity Portal <no-reply@${new URL(issuer).hostname}>`,
    signupEnabled: env.SIGNUP_ENABLED,
    adminSecondFactor: env.ADMIN_SECOND_FACTOR,
    portalName: env.PORTAL_NAME,
    portalLogoUrl: env.PORTAL_LOGO_URL,
  };
}

/** The issuer's host, this port on loopback, and ALLOWED_HOSTS; each also with its default port. */
function allowedHosts(issuer: string, port: number, extra: string): ReadonlySet<string> {
  const url = new URL(issuer);
  const defaultPort = url.protocol === "https:" ? 443 : 80;
  const hosts = new Set<string>([url.host.toLowerCase(), `${url.hostname.toLowerCase()}:${url.port || defaultPort}`]);
  for (const loopback of ["localhost", "127.0.0.1", "[::1]"]) hosts.add(`${loopback}:${port}`);
  for (const entry of extra.split(",")) {
    const host = entry.trim().toLowerCase();
    if (host) hosts.add(host);
  }
  return hosts;
}

// OpenID Connect Discovery 1.0 §3: the issuer is an https URL with no query or fragment.
// Plain http is allowed for loopback hosts only, so a local portal works out of the box.
function issuerProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL such as https://id.example.com";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https URL";
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)) {
    return "must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])";
  }
  if (url.search || value.includes("?")) return "must not have a query string";
  if (url.hash || value.includes("#")) return "must not have a fragment";
  if (url.username || url.password) return "must not contain credentials";
  return undefined;
}

/** The portal's logo: https (pages' img-src allows https: and 'self', lib/http/csp.ts), or a path here. */
function logoUrlProblem(value: string): string | undefined {
  if (value.length > 2000 || !isUnambiguousText(value)) return "unreadable";
  if (value.startsWith("/")) return value.startsWith("//") ? "another host" : undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && !url.username && !url.password ? undefined : "not https";
  } catch {
    return "not a URL";
  }
}

let cached: Config | undefined;

/** The configuration of this process, parsed on first use. */
export function getConfig(): Config {
  cached ??= parseEnv(process.env);
  return cached;
}
