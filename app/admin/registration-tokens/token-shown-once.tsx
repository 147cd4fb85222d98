"use client";

// A new registration token, shown this once: a copy button, and the value in a read-only field
// the admin can select by hand when the clipboard is not available.
import { useId, useState } from "react";

export function TokenShownOnce({ label, value }: { readonly label: string; readonly value: string }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "failed" | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-slate-900">
      <p className="font-semibold">Copy it now: it is shown only once. Only its hash is stored.</p>
      <label htmlFor={`${id}-value`} className="block font-medium">{label}</label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id={`${id}-value`}
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-sm"
        />
        <button type="button" onClick={copy} className="shrink-0 rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-600">
          Copy
        </button>
      </div>
      <p role="status" className="min-h-5">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Copying failed: select the text in the field and copy it." : ""}
      </p>
      <p>
        The application registers itself (RFC 7591) by sending its metadata to{" "}
        <code className="rounded bg-white px-1 wrap-anywhere">POST /oauth/register</code> with the header{" "}
        <code className="rounded bg-white px-1 wrap-anywhere">Authorization: Bearer &lt;token&gt;</code>.
      </p>
    </div>
  );
}
