// PORTAL_SECRET encrypts signing keys at rest. A first start needs no configuration: when the
// variable is unset, a random secret is generated once and kept in the data folder, readable by
// the owner only. Production deployments should set the variable (and back it up).
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

export function resolvePortalSecret(configured: string | undefined, dataDir: string): PortalSecret {
  if (configured) return { secret: configured, source: "env" };
  const file = path.resolve(dataDir, SECRET_FILE_NAME);
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
  if (stored.length < 32) throw new Error(`${file} does not hold a valid portal secret; remove it or set PORTAL_SECRET`);
  return { secret: stored, source: "file", file };
}
