// What a first start creates, and what every later start leaves alone: the signing keys and the
// initial admin. Safe to run any number of times. Every start also proves PORTAL_SECRET opens
// the keys that are there.
import { generatePassword, hashPassword } from "./auth/password.ts";
import type { Db } from "./db/client.ts";
import { checkSigningKeysOpen, ensureSigningKeys } from "./db/signing-keys.ts";
import { countAdmins, createUser, findUserByEmail } from "./db/users.ts";

export { WrongPortalSecretError } from "./db/signing-keys.ts";

export const DEFAULT_ADMIN_EMAIL = "admin@localhost";

export interface SeedOptions {
  readonly portalSecret: string;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly bcryptCost: number;
  /** ADMIN_SECOND_FACTOR: whether the admin created here must set up a second factor. */
  readonly adminSecondFactor?: "required" | "optional";
}

export interface SeedResult {
  readonly createdKeyIds: readonly string[];
  /** Set when an admin was created now; `generatedPassword` only when none was configured. */
  readonly admin?: { readonly email: string; readonly generatedPassword?: string };
}

/** Throws WrongPortalSecretError (before creating anything) when the keys do not open. */
export async function seed(db: Db, options: SeedOptions): Promise<SeedResult> {
  // First: keys created now under a wrong secret would sit beside ones it cannot open.
  await checkSigningKeysOpen(db, options.portalSecret);
  const createdKeyIds = await ensureSigningKeys(db, options.portalSecret);
  const admin = await ensureAdmin(db, options);
  return admin ? { createdKeyIds, admin } : { createdKeyIds };
}

async function ensureAdmin(db: Db, options: SeedOptions): Promise<SeedResult["admin"]> {
  if (options.adminEmail) {
    // A configured admin is created once; a later change of ADMIN_PASSWORD never overwrites a
    // password the admin may have changed since.
    if (await findUserByEmail(db, options.adminEmail)) return undefined;
  } else if ((await countAdmins(db)) > 0) {
    return undefined;
  }
  const email = options.adminEmail ?? DEFAULT_ADMIN_EMAIL;
  const generatedPassword = options.adminPassword ? undefined : generatePassword();
  const password = options.adminPassword ?? generatedPassword!;
  await createUser(db, {
    email,
    passwordHash: await hashPassword(password, options.bcryptCost),
    name: "Administrator",
    role: "admin",
    emailVerified: true,
    secondFactorRequired: options.adminSecondFactor !== "optional",
  });
  return generatedPassword ? { email, generatedPassword } : { email };
}
