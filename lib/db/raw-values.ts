// Reading raw query rows of either database: SQLite gives flags as 0/1 (or bigint), PostgreSQL as
// booleans; dates come back as Date from both adapters. Anything else is a schema bug: fail loudly.

export function flag(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number" || typeof value === "bigint") return value !== 0 && value !== 0n;
  throw new Error(`unexpected flag value ${typeof value}`);
}

export function text(value: unknown): string {
  if (typeof value !== "string") throw new Error(`unexpected text value ${typeof value}`);
  return value;
}

export function optionalText(value: unknown): string | null {
  return value === null ? null : text(value);
}

export function date(value: unknown): Date {
  if (!(value instanceof Date)) throw new Error(`unexpected date value ${typeof value}`);
  return value;
}

export function optionalDate(value: unknown): Date | null {
  return value === null ? null : date(value);
}

export { spaceList as list } from "../oauth/wire-values.ts";
