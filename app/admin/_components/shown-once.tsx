"use client";

// A secret, token or password shown exactly once, right after it was made: it lives only in the
// form's state, so leaving or reloading the page loses it for good (only its hash is stored). The
// value also sits in a read-only field to select by hand where the clipboard is not available
// (an http page, a denied permission).
import { useId, useState, type ReactNode } from "react";

export function ShownOnce({
  label,
  value,
  what = "Store it now where it belongs",
  children,
}: {
  readonly label: string;
  readonly value: string;
  /** What to do with it, before "it is shown only once". */
  readonly what?: string;
  /** How to use it, under the value. */
  readonly children?: ReactNode;
}) {
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
    <div className="space-y-3 rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-slate-900">
      <label htmlFor={`${id}-value`} className="block text-base font-semibold">
        {label}
      </label>
      <p id={`${id}-note`}>
        <strong>Shown only once.</strong> {what}: only its hash is kept, and nobody can read it again.
      </p>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id={`${id}-value`}
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          aria-describedby={`${id}-note`}
          className="block w-full min-w-0 rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-base text-slate-900"
        />
        <button
          type="button"
          onClick={copy}
          className="shrink-0 rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-600"
        >
          {copied === "yes" ? "Copied" : "Copy"}
        </button>
      </div>
      <p aria-live="polite" className="min-h-5">
        {copied === "yes"
          ? "Copied to the clipboard."
          : copied === "failed"
            ? "Copying is not available here: select the text in the field and copy it."
            : ""}
      </p>
      {children}
    </div>
  );
}
