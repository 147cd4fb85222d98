import type { Metadata } from "next";
import { requireAdmin } from "@/lib/server/admin";
import { listInitialAccessTokens } from "@/lib/services/initial-access-tokens";
import { CreateTokenForm } from "./create-form";
import { TokenList } from "./token-list";

export const metadata: Metadata = { title: "Registration tokens" };
export const dynamic = "force-dynamic";

export default async function RegistrationTokensPage() {
  await requireAdmin("/admin/registration-tokens");
  const now = new Date();
  const tokens = await listInitialAccessTokens(now);
  return (
    <main className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Registration tokens</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Applications can register themselves at <code className="wrap-anywhere">/oauth/register</code> (dynamic client registration, RFC
          7591) only with one of these initial access tokens. Give one to a developer or a deployment script; revoke it when it is no longer
          needed.
        </p>
      </div>

      <section aria-labelledby="create" className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
        <h2 id="create" className="text-lg font-semibold">
          New registration token
        </h2>
        <CreateTokenForm />
      </section>

      <section aria-labelledby="tokens" className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 id="tokens" className="px-4 pt-4 text-lg font-semibold sm:px-5">
          Tokens
        </h2>
        {tokens.length === 0 ? (
          <p className="px-4 py-4 text-slate-700 sm:px-5">No registration tokens yet.</p>
        ) : (
          <TokenList tokens={tokens} now={now} />
        )}
      </section>
    </main>
  );
}
