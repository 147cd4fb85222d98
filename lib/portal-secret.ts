// PORTAL_SECRET encrypts signing keys and TOTP secrets at rest. A first start on SQLite needs no
// configuration: when the variable is unset, a random secret is generated once and kept in the
// data folder, readable by the owner only. On PostgreSQL it is never generated: several
// instances may share that database, each with its own data folder, and an instance that made up
// its own secret would sign people in and then fail every token request (its secret opens none of
// the shared keys).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SECRET_FILE_NAME = "portal-secret";

export interface PortalSecret {
  readonly secret: string;
  /** "env" when configured, "file" when read from the data folder, "generated" when made now. */
  readonly source: "env" | "file" | "generated";
  readonly file?: string;
}

/** The configuration is unusable as it stands; the message says what to set. */
export class PortalSecretError extends Error {
  override name = "PortalSecretError";
}

export interface PortalSecretConfig {
  readonly portalSecret: string | undefined;
  readonly dataDir: string;
  readonly databaseUrl: string;
}

export function resolvePortalSecret(config: PortalSecretConfig): PortalSecret {
  if (config.portalSecret) return { secret: config.portalSecret, source: "env" };
  if (!config.databaseUrl.startsWith("file:")) {
    throw new PortalSecretError(
      "PORTAL_SECRET is not set. With PostgreSQL, a database several instances may share, every instance " +
        "must be given the same PORTAL_SECRET (it encrypts the signing keys); it is never generated. " +
        "Set PORTAL_SECRET to the secret the keys were created with, or for a new database to a new one " +
        "(for example: openssl rand -base64 48), on every instance.",
    );
  }
  const file = path.resolve(config.dataDir, SECRET_FILE_NAME);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString("base64url");
  try {
    // "wx": two processes starting at once must not overwrite each other's secret.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return { secret, source: "generated", file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stored = readFileSync(file, "utf8").trim();
  if (stored.length < 32) throw new PortalSecretError(`${file} does not hold a valid portal secret; remove it or set PORTAL_SECRET`);
  return { secret: stored, source: "file", file };
}
