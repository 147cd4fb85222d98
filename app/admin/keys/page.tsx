import type { Metadata } from "next";
import { requireAdmin } from "@/lib/server/admin";
import { findWithdrawnKey, listSigningKeys, SIGNING_ALGORITHMS, type SigningKeyView } from "@/lib/services/keys";
import { UtcTime } from "../_components/utc-time";
import { RevokeKeyForm } from "./revoke-form";
import { RotateForm } from "./rotate-form";

export const metadata: Metadata = { title: "Signing keys" };
export const dynamic = "force-dynamic";

function State({ signingKey }: { readonly signingKey: SigningKeyView }) {
  return signingKey.state === "active" ? (
    <span className="rounded-full bg-green-100 px-2 py-0.5 font-semibold text-green-900">Active</span>
  ) : (
    <span className="rounded-full bg-slate-200 px-2 py-0.5 font-semibold text-slate-800">Retired</span>
  );
}

function Retirement({ signingKey, label = "" }: { readonly signingKey: SigningKeyView; readonly label?: string }) {
  if (!signingKey.retiredAt) return <span className="text-slate-700">signs new tokens</span>;
  return (
    <>
      {label}
      <span className="whitespace-nowrap">
        <UtcTime date={signingKey.retiredAt} />
      </span>
      {signingKey.publishUntil ? (
        <span className="block text-slate-700">
          verifies tokens until{" "}
          <span className="whitespace-nowrap">
            <UtcTime date={signingKey.publishUntil} />
          </span>
        </span>
      ) : null}
    </>
  );
}

export default async function SigningKeysPage({
  searchParams,
}: {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin("/admin/keys");
  const { withdrawn: asked } = await searchParams;
  const [keys, withdrawn] = await Promise.all([listSigningKeys(), typeof asked === "string" ? findWithdrawnKey(asked) : null]);
  return (
    <main className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Signing keys</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          The portal signs ID tokens and access tokens with the active key of each algorithm and publishes the public keys at{" "}
          <a className="font-semibold text-brand-700 underline" href="/oauth/jwks">
            /oauth/jwks
          </a>
          . Rotate when a key may have leaked, or on a schedule. Private keys are stored encrypted and never shown.
        </p>
      </div>

      {withdrawn ? (
        <p role="status" className="wrap-anywhere rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
          The {withdrawn.alg} key {withdrawn.kid} is no longer published; the tokens it signed no longer verify.
        </p>
      ) : null}

      <section aria-labelledby="rotate" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
        <h2 id="rotate" className="text-lg font-semibold">
          Rotate
        </h2>
        <RotateForm primary />
        <div className="flex flex-wrap items-start gap-3">
          {SIGNING_ALGORITHMS.map((alg) => (
            <RotateForm key={alg} alg={alg} />
          ))}
        </div>
      </section>

      <section aria-labelledby="published" className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 id="published" className="px-4 pt-4 text-lg font-semibold sm:px-5">
          Published keys
        </h2>
        {/* Cards on narrow screens, a table from md up; only one is displayed (and read). */}
        <ul className="mt-3 divide-y divide-slate-200 border-t border-slate-200 md:hidden">
          {keys.map((key) => (
            <li key={key.kid} className="space-y-1 px-4 py-3 text-sm">
              <p className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-mono break-all">{key.kid}</span>
                <State signingKey={key} />
              </p>
              <p>
                {key.alg} · created <UtcTime date={key.createdAt} />
              </p>
              <p>
                <Retirement signingKey={key} label="retired " />
              </p>
              {key.state === "retired" ? <RevokeKeyForm kid={key.kid} /> : null}
            </li>
          ))}
        </ul>
        <div className="relative mt-3 hidden overflow-x-auto md:block" role="region" aria-labelledby="published" tabIndex={0}>
          <table className="w-full border-collapse text-left text-sm">
            <thead className="bg-slate-50 text-slate-800">
              <tr>
                <th scope="col" className="px-4 py-2 font-semibold sm:px-5">
                  Key id (kid)
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Algorithm
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  State
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Created
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Retired
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.kid} className="border-t border-slate-200">
                  <td className="px-4 py-2 font-mono whitespace-nowrap sm:px-5">{key.kid}</td>
                  <td className="px-4 py-2">{key.alg}</td>
                  <td className="px-4 py-2">
                    <State signingKey={key} />
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap">
                    <UtcTime date={key.createdAt} />
                  </td>
                  <td className="px-4 py-2">
                    <Retirement signingKey={key} />
                  </td>
                  <td className="px-4 py-2">{key.state === "retired" ? <RevokeKeyForm kid={key.kid} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {keys.length === 0 ? (
          <p className="px-4 py-4 text-slate-700 sm:px-5">No keys yet: the server creates them when it starts.</p>
        ) : null}
      </section>
    </main>
  );
}
