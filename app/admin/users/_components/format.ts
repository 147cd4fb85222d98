// Dates in the console: UTC, to the minute, the same for every admin whatever their time zone.
export function formatDate(date: Date | null | undefined, never = "Never"): string {
  if (!date) return never;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
