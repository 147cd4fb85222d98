import { statusMessage } from "../status";

/** The notice after a change: only one of the server's own texts (status.ts), never the address's. */
export function StatusNotice({ statusKey }: { readonly statusKey: unknown }) {
  const message = statusMessage(statusKey);
  if (!message) return null;
  return (
    <p role="status" className="mt-6 rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
      {message}
    </p>
  );
}
