import type { Db } from "./client.ts";

export interface NewUser {
  readonly email: string;
  readonly passwordHash: string;
  readonly name?: string;
  readonly role?: "user" | "admin";
  readonly emailVerified?: boolean;
  /** Must sign in with a second factor (set one up at the next sign-in when there is none). */
  readonly secondFactorRequired?: boolean;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email: normalizeEmail(email) } });
}

export async function createUser(db: Db, user: NewUser) {
  return db.user.create({
    data: {
      email: normalizeEmail(user.email),
      passwordHash: user.passwordHash,
      name: user.name ?? "",
      role: user.role ?? "user",
      emailVerified: user.emailVerified ?? false,
      secondFactorRequired: user.secondFactorRequired ?? false,
    },
  });
}

export async function countAdmins(db: Db): Promise<number> {
  return db.user.count({ where: { role: "admin" } });
}
