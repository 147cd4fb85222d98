// A moment as the console shows it: in UTC, to the minute, with the exact time for machines.
export function UtcTime({ date }: { readonly date: Date }) {
  const iso = date.toISOString();
  return <time dateTime={iso} title={iso}>{`${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`}</time>;
}
