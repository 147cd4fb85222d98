// People: who they are, and every change to them (lib/services/change.ts). The admin console,
// the account page and the CLI all come through here.
import { getDb } from "../db/index.ts";

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: "user" | "admin";
  readonly disabled: boolean;
}

export async function findAccount(userId: string): Promise<Account | null> {
  const row = await getDb().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, disabled: true },
  });
  return row ? { ...row, role: row.role === "admin" ? "admin" : "user" } : null;
}
