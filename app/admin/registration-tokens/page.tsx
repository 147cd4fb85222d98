import type { Metadata } from "next";
import { requireAdmin } from "@/lib/server/admin";
import { listInitialAccessTokens, type InitialAccessTokenView } from "@/lib/services/initial-access-tokens";
import { UtcTime } from "../_components/utc-time";
import { CreateTokenForm } from "./create-form";
import { RevokeTokenForm } from "./revoke-form";

export const metadata: Metadata = { title: "Registration tokens" };
export const dynamic = "force-dynamic";

function status(token: InitialAccessTokenView, now: Date): { text: string; tone: string } {
  if (token.revokedAt) return { text: "Revoked", tone: "bg-red-100 text-red-900" };
  if (token.expiresAt && token.expiresAt <= now) return { text: "Expired", tone: "bg-slate-200 text-slate-800" };
  if (token.singleUse && token.usedAt) return { text: "Used", tone: "bg-slate-200 text-slate-800" };
  return { text: "Usable", tone: "bg-green-100 text-green-900" };
}

export default async function RegistrationTokensPage() {
  await requireAdmin("/admin/registration-tokens");
  const now = new Date();
  const tokens = await listInitialAccessTokens(now);
  return (
    <main className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Registration tokens</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Applications can register themselves at <code className="break-all">/oauth/register</code> (dynamic client
          registration, RFC 7591) only with one of these initial access tokens. Give one to a developer or a
          deployment script; revoke it when it is no longer needed.
        </p>
      </div>

      <section aria-labelledby="create" className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
        <h2 id="create" className="text-lg font-semibold">New registration token</h2>
        <CreateTokenForm />
      </section>

      <section aria-labelledby="tokens" className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 id="tokens" className="px-4 pt-4 text-lg font-semibold sm:px-5">Tokens</h2>
        {tokens.length === 0 ? (
          <p className="px-4 py-4 text-slate-700 sm:px-5">No registration tokens yet.</p>
        ) : (
          <div className="relative mt-3 overflow-x-auto" role="region" aria-labelledby="tokens" tabIndex={0}>
            <table className="w-full min-w-[48rem] border-collapse text-left text-sm">
              <thead className="bg-slate-50 text-slate-800">
                <tr>
                  <th scope="col" className="px-4 py-2 font-semibold sm:px-5">Description</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Use</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Created</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Expires</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Last used</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Status</th>
                  <th scope="col" className="px-4 py-2 font-semibold"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => {
                  const { text, tone } = status(token, now);
                  const name = token.description || "Untitled token";
                  return (
                    <tr key={token.id} className="border-t border-slate-200 align-top">
                      <td className="px-4 py-2 break-words sm:px-5">{token.description || <span className="text-slate-700 italic">no description</span>}</td>
                      <td className="px-4 py-2 whitespace-nowrap">{token.singleUse ? "Single use" : "Reusable"}</td>
                      <td className="px-4 py-2">
                        <span className="whitespace-nowrap"><UtcTime date={token.createdAt} /></span>
                        {token.createdByEmail ? <span className="block break-all text-slate-700">by {token.createdByEmail}</span> : null}
                      </td>
                      <td className="px-4 py-2 whitespace-nowrap">{token.expiresAt ? <UtcTime date={token.expiresAt} /> : "Never"}</td>
                      <td className="px-4 py-2 whitespace-nowrap">{token.usedAt ? <UtcTime date={token.usedAt} /> : "Not yet"}</td>
                      <td className="px-4 py-2">
                        <span className={`rounded-full px-2 py-0.5 font-semibold whitespace-nowrap ${tone}`}>{text}</span>
                        {token.revokedAt ? <span className="block text-slate-700"><UtcTime date={token.revokedAt} /></span> : null}
                      </td>
                      <td className="px-4 py-2">{token.revokedAt ? null : <RevokeTokenForm id={token.id} name={name} />}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}
