// The recovery codes, shown the one time they exist in the clear: right after they were made (the
// first authenticator app, or new codes). A list to copy, and the same as a text file to keep,
// downloaded from a data: address, so it works without script.

const SAVED_AS = "recovery-codes.txt";

function asText(codes: readonly string[], accountName: string): string {
  return [
    `Recovery codes for ${accountName}`,
    "",
    "Each code signs you in once, in place of a code from your authenticator app.",
    "Keep them somewhere safe: they are not shown again.",
    "",
    ...codes,
    "",
  ].join("\n");
}

export function RecoveryCodesList({ codes, accountName }: { readonly codes: readonly string[]; readonly accountName: string }) {
  return (
    <div className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900">
      <h2 id="recovery-codes-heading" className="font-semibold">
        Your recovery codes
      </h2>
      <p className="mt-1 text-sm">
        If you lose your phone, each of these codes lets you sign in once instead of a code from the app. Save them now (print them, or keep
        them in a password manager): this is the only time they are shown.
      </p>
      <ol aria-labelledby="recovery-codes-heading" className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 font-mono text-base sm:grid-cols-2">
        {codes.map((code) => (
          <li key={code} className="select-all rounded bg-white px-2 py-1 tracking-wide text-slate-900">
            {code}
          </li>
        ))}
      </ol>
      <a
        href={`data:text/plain;charset=utf-8,${encodeURIComponent(asText(codes, accountName))}`}
        download={SAVED_AS}
        className="mt-4 inline-block rounded-lg border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100"
      >
        Download as text
      </a>
    </div>
  );
}
