"use client";

import { useId, useState } from "react";

// A generated password, shown right after it was made and never again: it lives only in this
// form's state, so leaving or reloading the page forgets it. The value also sits in a read-only
// field, so it can be selected and copied where the clipboard is not available.
export function ShownOnce({ label, value }: { readonly label: string; readonly value: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | undefined>();
  const id = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
  };
  return (
    <div className="rounded-xl border border-amber-300 bg-amber-50 p-4">
      <label htmlFor={id} className="block font-semibold text-slate-900">{label}</label>
      <p className="mt-1 text-sm text-slate-800">
        It is shown only once: copy it now and hand it over safely. Only its hash is stored.
      </p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-base text-slate-900"
        />
        <button
          type="button"
          onClick={copy}
          className="shrink-0 rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-600"
        >
          Copy
        </button>
      </div>
      <p aria-live="polite" className="mt-2 min-h-5 text-sm text-slate-800">
        {copied === "yes" ? "Copied to the clipboard." : copied === "no" ? "Copying is not available here: select the text and copy it." : ""}
      </p>
    </div>
  );
}
