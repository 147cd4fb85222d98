// The registration tokens, never their values: cards on narrow screens, a table from md up (only
// one of them is displayed, and read).
import type { InitialAccessTokenView } from "@/lib/services/initial-access-tokens";
import { UtcTime } from "../_components/utc-time";
import { RevokeTokenForm } from "./revoke-form";

function status(token: InitialAccessTokenView, now: Date): { text: string; tone: string } {
  if (token.revokedAt) return { text: "Revoked", tone: "bg-red-100 text-red-900" };
  if (token.expiresAt && token.expiresAt <= now) return { text: "Expired", tone: "bg-slate-200 text-slate-800" };
  if (token.singleUse && token.usedAt) return { text: "Used", tone: "bg-slate-200 text-slate-800" };
  return { text: "Usable", tone: "bg-green-100 text-green-900" };
}

export function TokenList({ tokens, now }: { readonly tokens: readonly InitialAccessTokenView[]; readonly now: Date }) {
  return (
    <>
      <ul className="mt-3 divide-y divide-slate-200 border-t border-slate-200 md:hidden">
        {tokens.map((token) => {
          const { text, tone } = status(token, now);
          return (
            <li key={token.id} className="space-y-1 px-4 py-3 text-sm">
              <p className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-semibold wrap-anywhere">{token.description || "No description"}</span>
                <span className={`rounded-full px-2 py-0.5 font-semibold ${tone}`}>{text}</span>
              </p>
              <p>
                {token.singleUse ? "Single use" : "Reusable"} · expires {token.expiresAt ? <UtcTime date={token.expiresAt} /> : "never"}
              </p>
              <p className="text-slate-700">
                Created <UtcTime date={token.createdAt} />
                {token.createdByEmail ? <span className="wrap-anywhere"> by {token.createdByEmail}</span> : null}
                {token.usedAt ? (
                  <>
                    ; last used <UtcTime date={token.usedAt} />
                  </>
                ) : null}
              </p>
              {token.revokedAt ? null : <RevokeTokenForm id={token.id} name={token.description || "Untitled token"} />}
            </li>
          );
        })}
      </ul>
      <div className="relative mt-3 hidden overflow-x-auto md:block" role="region" aria-labelledby="tokens" tabIndex={0}>
        <table className="w-full min-w-[48rem] border-collapse text-left text-sm">
          <thead className="bg-slate-50 text-slate-800">
            <tr>
              <th scope="col" className="px-4 py-2 font-semibold sm:px-5">
                Description
              </th>
              <th scope="col" className="px-4 py-2 font-semibold">
                Use
              </th>
              <th scope="col" className="px-4 py-2 font-semibold">
                Created
              </th>
              <th scope="col" className="px-4 py-2 font-semibold">
                Expires
              </th>
              <th scope="col" className="px-4 py-2 font-semibold">
                Last used
              </th>
              <th scope="col" className="px-4 py-2 font-semibold">
                Status
              </th>
              <th scope="col" className="px-4 py-2 font-semibold">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => {
              const { text, tone } = status(token, now);
              const name = token.description || "Untitled token";
              return (
                <tr key={token.id} className="border-t border-slate-200 align-top">
                  <td className="px-4 py-2 break-words sm:px-5">
                    {token.description || <span className="text-slate-700 italic">no description</span>}
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap">{token.singleUse ? "Single use" : "Reusable"}</td>
                  <td className="px-4 py-2">
                    <span className="whitespace-nowrap">
                      <UtcTime date={token.createdAt} />
                    </span>
                    {token.createdByEmail ? <span className="block break-all text-slate-700">by {token.createdByEmail}</span> : null}
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap">{token.expiresAt ? <UtcTime date={token.expiresAt} /> : "Never"}</td>
                  <td className="px-4 py-2 whitespace-nowrap">{token.usedAt ? <UtcTime date={token.usedAt} /> : "Not yet"}</td>
                  <td className="px-4 py-2">
                    <span className={`rounded-full px-2 py-0.5 font-semibold whitespace-nowrap ${tone}`}>{text}</span>
                    {token.revokedAt ? (
                      <span className="block text-slate-700">
                        <UtcTime date={token.revokedAt} />
                      </span>
                    ) : null}
                  </td>
                  <td className="px-4 py-2">{token.revokedAt ? null : <RevokeTokenForm id={token.id} name={name} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
