// The audit log's filters: a plain GET form, so a filtered view is a link that can be shared and
// works without JavaScript.
import type { FieldErrors } from "@/lib/services/errors";

const input = "block w-full min-w-0 rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600";

function Field({
  id,
  label,
  error,
  children,
}: {
  readonly id: string;
  readonly label: string;
  readonly error: readonly string[] | undefined;
  readonly children: React.ReactNode;
}) {
  return (
    <div className="min-w-0 space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {error?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-800">
          {error.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export function AuditFilters({
  types,
  values,
  errors,
}: {
  readonly types: readonly string[];
  readonly values: Readonly<Record<"type" | "user" | "client_id" | "from" | "to", string>>;
  readonly errors: FieldErrors;
}) {
  const invalid = (field: string) => (errors[field] ? { "aria-invalid": true as const, "aria-describedby": `audit-${field}-error` } : {});
  return (
    <form
      method="get"
      action="/admin/audit"
      className="grid gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 sm:p-5 lg:grid-cols-5"
    >
      <Field id="audit-type" label="Event" error={errors.type}>
        <select id="audit-type" name="type" defaultValue={values.type} className={input} {...invalid("type")}>
          <option value="">Any event</option>
          {types.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </Field>
      <Field id="audit-user" label="User (email or id)" error={errors.user}>
        <input id="audit-user" name="user" defaultValue={values.user} className={input} {...invalid("user")} />
      </Field>
      <Field id="audit-clientId" label="client_id" error={errors.clientId}>
        <input id="audit-clientId" name="client_id" defaultValue={values.client_id} className={input} {...invalid("clientId")} />
      </Field>
      <Field id="audit-from" label="From (UTC day)" error={errors.from}>
        <input id="audit-from" name="from" type="date" defaultValue={values.from} className={input} {...invalid("from")} />
      </Field>
      <Field id="audit-to" label="To (UTC day)" error={errors.to}>
        <input id="audit-to" name="to" type="date" defaultValue={values.to} className={input} {...invalid("to")} />
      </Field>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-5">
        <button type="submit" className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-600">
          Filter
        </button>
        <a href="/admin/audit" className="font-semibold text-brand-700 underline">
          Clear filters
        </a>
      </div>
    </form>
  );
}
