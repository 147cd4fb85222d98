import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getConfig } from "@/lib/env";
import { requireAdmin } from "@/lib/server/admin";
import { getClientDetail, listClientActivity, type ClientView } from "@/lib/services/clients";
import { CopyButton } from "../_components/form-bits";
import { configSnippets } from "../_components/snippets";
import { when } from "../_components/when";
import { DangerZone } from "./danger-zone";
import { EditClientForm } from "./edit-client-form";
import { SecretsPanel } from "./secrets-panel";

export const metadata: Metadata = { title: "Application" };
export const dynamic = "force-dynamic";

type Params = Promise<{ clientId: string }>;

/** The settings as the edit form's starting values. */
function formValuesOf(client: ClientView): Record<string, string> {
  const number = (value: number | null) => (value === null ? "" : String(value));
  return {
    name: client.name,
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
    applicationType: client.applicationType,
    redirectUris: client.redirectUris.join("\n"),
    postLogoutRedirectUris: client.postLogoutRedirectUris.join("\n"),
    scopes: client.scopes.join(" "),
    logoUri: client.logoUri ?? "",
    clientUri: client.clientUri ?? "",
    policyUri: client.policyUri ?? "",
    tosUri: client.tosUri ?? "",
    accessTokenTtlSeconds: number(client.accessTokenTtlSeconds),
    idTokenTtlSeconds: number(client.idTokenTtlSeconds),
    refreshTokenTtlSeconds: number(client.refreshTokenTtlSeconds),
    idTokenSignedResponseAlg: client.idTokenSignedResponseAlg,
    skipConsent: client.skipConsent ? "on" : "",
    requireMfa: client.requireMfa ? "on" : "",
  };
}

/** The segment as the client_id it names (a malformed escape names no application). */
function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    notFound();
  }
}

function Section({ id, title, children }: { readonly id: string; readonly title: string; readonly children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
      <h2 id={id} className="mb-4 text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function ClientPage({
  params,
  searchParams,
}: {
  readonly params: Params;
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { clientId: raw } = await params;
  await requireAdmin(`/admin/clients/${encodeURIComponent(raw)}`);
  const clientId = decodeParam(raw);
  const [client, activity] = await Promise.all([getClientDetail(clientId), listClientActivity(clientId, 20)]);
  if (!client) notFound();
  const { created } = await searchParams;
  const snippets = configSnippets({
    issuer: getConfig().issuer,
    clientId: client.clientId,
    authMethod: client.tokenEndpointAuthMethod,
    redirectUri: client.redirectUris[0],
    scopes: client.scopes,
  });

  return (
    <main className="space-y-6">
      <p>
        <Link href="/admin/clients" className="font-semibold text-brand-700 underline">
          ← Applications
        </Link>
      </p>
      <header className="space-y-2">
        <h1 className="break-words text-2xl font-bold tracking-tight text-slate-900">{client.name}</h1>
        <p className="flex flex-wrap items-center gap-2 text-slate-800">
          <span className="font-mono break-all" data-testid="client-id">
            {client.clientId}
          </span>
          <CopyButton value={client.clientId} label="Copy the client_id" />
          <span className="rounded bg-slate-200 px-2 py-0.5 text-sm font-semibold text-slate-900">{client.type}</span>
          {client.disabled ? <span className="rounded bg-red-100 px-2 py-0.5 text-sm font-semibold text-red-800">disabled</span> : null}
        </p>
        <p className="text-sm text-slate-700">
          Registered {when(client.createdAt)} ({client.registrationSource}) · last used {when(client.lastUsedAt)} · {client.activeGrants}{" "}
          active {client.activeGrants === 1 ? "grant" : "grants"} for {client.activeUsers} {client.activeUsers === 1 ? "person" : "people"}
        </p>
      </header>
      {created === "1" ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
          {client.name} is registered. It is a public application: it has no secret.
        </p>
      ) : null}

      <Section id="configure" title="Configure your application">
        <p className="mb-4 text-slate-700">
          Ready to paste, with this portal&apos;s issuer and this application&apos;s settings. The secret is read from the environment.
        </p>
        <div className="space-y-3">
          {snippets.map((snippet, index) => (
            <details key={snippet.id} open={index === 0} className="rounded-lg border border-slate-200">
              <summary className="cursor-pointer px-4 py-3 font-semibold text-slate-900">{snippet.title}</summary>
              <div className="space-y-2 border-t border-slate-200 p-4">
                <div className="flex justify-end">
                  <CopyButton value={snippet.code} label={`Copy the ${snippet.title} configuration`} />
                </div>
                <pre
                  className="overflow-x-auto rounded-md bg-slate-900 p-4 text-sm text-slate-50"
                  aria-label={`${snippet.title} configuration (${snippet.language})`}
                >
                  <code>{snippet.code}</code>
                </pre>
              </div>
            </details>
          ))}
        </div>
      </Section>

      {client.type === "confidential" ? (
        <Section id="secrets" title="Secrets">
          <SecretsPanel
            clientId={client.clientId}
            secrets={client.secrets.map((secret) => ({
              id: secret.id,
              createdAt: when(secret.createdAt),
              expiresAt: when(secret.expiresAt, "does not expire"),
              lastUsedAt: when(secret.lastUsedAt),
              live: secret.live,
            }))}
          />
        </Section>
      ) : null}

      <Section id="settings" title="Settings">
        <EditClientForm clientId={client.clientId} registeredType={client.type} current={formValuesOf(client)} />
      </Section>

      <Section id="activity" title="Recent activity">
        {activity.length === 0 ? (
          <p className="text-slate-700">Nothing recorded yet.</p>
        ) : (
          <ol className="divide-y divide-slate-200">
            {activity.map((event) => (
              <li key={event.id} className="py-3">
                <p className="flex flex-wrap gap-x-3 text-sm text-slate-700">
                  <time dateTime={event.at.toISOString()}>{when(event.at)}</time>
                  <span className="font-mono font-semibold text-slate-900">{event.type}</span>
                  {event.actor ? <span>by {event.actor}</span> : null}
                </p>
                {event.summary ? <p className="mt-1 break-words text-slate-800">{event.summary}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </Section>

      <Section id="danger" title="Disable or delete">
        <DangerZone clientId={client.clientId} name={client.name} disabled={client.disabled} />
      </Section>
    </main>
  );
}
