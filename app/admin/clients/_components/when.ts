// Times as the console shows them: UTC, to the minute, the same on the server and in tests.
export function when(date: Date | null, never = "never"): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : never;
}
