// The account page's shared pieces: a section frame and how a moment is shown to a person.
import type { ReactNode } from "react";

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "2 Dec 2026, 16:05 UTC", with the exact time for machines. */
export function When({ date }: { readonly date: Date }) {
  return <time dateTime={date.toISOString()}>{`${WHEN.format(date)} UTC`}</time>;
}

/** One titled part of the page; `id` names its heading for the landmark. */
export function Section({
  id,
  title,
  description,
  children,
}: {
  readonly id: string;
  readonly title: string;
  readonly description?: ReactNode;
  readonly children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="mt-10">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {description ? <p className="mt-1 text-slate-700">{description}</p> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}

export const CARD = "rounded-xl border border-slate-200 bg-white p-5 shadow-sm";
export const INPUT = "mt-1 block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600";
export const PRIMARY_BUTTON = "rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60";
export const SECONDARY_BUTTON = "rounded-lg border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100";
export const DANGER_BUTTON = "rounded-lg border border-red-300 bg-white px-4 py-2 font-semibold text-red-800 hover:bg-red-50";

export function FieldError({ id, errors }: { readonly id: string; readonly errors: readonly string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm font-medium text-red-800">
      {errors.join(" ")}
    </p>
  );
}
