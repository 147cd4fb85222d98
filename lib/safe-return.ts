// A post-login return target is only ever a path on this site: "/account", never "//evil.com",
// "https://evil.com" or "/\evil.com" (browsers treat a backslash like a slash).
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 512) return undefined;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return undefined;
  if (/[\u0000-\u001f\u007f]/.test(value)) return undefined;
  return value;
}
