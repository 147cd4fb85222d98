import type { Metadata } from "next";
import { describeInteraction } from "@/lib/oauth/authorize/handle-authorize";
import type { Client } from "@/lib/oauth/types";
import { describeScope } from "@/lib/scope-descriptions";
import { getAuthorizeDeps } from "@/lib/server/deps";
import { getCurrentSession } from "@/lib/server/session";
import { VERIFICATION_LINK_HOURS } from "@/lib/services/account-links";
import { emailVerificationStatus } from "@/lib/services/email-verification";
import { findAccount } from "@/lib/services/users";
import { VerifyEmailNotice } from "../_components/verify-email-notice";
import { PortalFrame } from "../_components/portal-frame";
import { switchAccount } from "../login/actions";
import { ConsentForm } from "./consent-form";

export const metadata: Metadata = { title: "Allow access?" };
export const dynamic = "force-dynamic";

export default async function ConsentPage({
  searchParams,
}: {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { interaction: raw } = await searchParams;
  const interactionId = typeof raw === "string" ? raw : "";
  const session = await getCurrentSession();
  const [found, account] = await Promise.all([
    describeInteraction(interactionId, session, getAuthorizeDeps(), "consent"),
    session ? findAccount(session.userId) : null,
  ]);
  // A self-registered account whose address is unverified cannot allow anything yet (the core
  // refuses too): it is told why, and can have a new link sent.
  const verification = found && session ? await emailVerificationStatus(session.userId) : null;

  if (!found || !account) {
    return (
      <PortalFrame width="lg">
        <h1 className="text-2xl font-bold tracking-tight">This request cannot continue</h1>
        <p role="alert" className="mt-4 text-slate-700">
          It has expired, was already answered, or belongs to another browser session. Go back to the application and try again.
        </p>
      </PortalFrame>
    );
  }

  if (verification?.required) {
    return (
      <PortalFrame width="lg">
        <h1 className="text-2xl font-bold tracking-tight">Verify your email address first</h1>
        <p className="mt-3 text-slate-700">
          Before <strong className="font-semibold text-slate-900">{found.client.name}</strong> can access your account, confirm that{" "}
          <strong className="font-semibold text-slate-900 wrap-break-word">{verification.email}</strong> is yours with the link we sent you.
        </p>
        <div className="mt-5">
          <VerifyEmailNotice email={verification.email} hours={VERIFICATION_LINK_HOURS}>
            Lost the message, or did the link expire? We can send a new one.
          </VerifyEmailNotice>
        </div>
        <p className="mt-5">
          <a
            href={`/consent?interaction=${encodeURIComponent(interactionId)}`}
            className="font-semibold text-brand-700 underline underline-offset-2"
          >
            I have confirmed it: continue
          </a>
        </p>
      </PortalFrame>
    );
  }

  const { client } = found;
  const logo = httpsUrl(client.logoUri);
  const links = pageLinks(client);
  // Everything in the order it is seen, at every width: the application, who is signed in, what
  // it asks, its pages, where the answer goes, then Deny and Allow (consent-form.tsx).
  return (
    <PortalFrame width="lg">
      <div className="flex items-start gap-4">
        {logo ? (
          // eslint-disable-next-line @next/next/no-img-element -- the application's own https URL, shown as is
          <img
            src={logo}
            alt={`${client.name} logo`}
            width={48}
            height={48}
            referrerPolicy="no-referrer"
            className="size-12 shrink-0 rounded-lg border border-slate-200 bg-white object-contain dark:bg-slate-100"
          />
        ) : null}
        <h1 className="min-w-0 text-2xl font-bold tracking-tight break-words">
          Allow <span className="text-brand-700">{client.name}</span> to access your account?
        </h1>
      </div>
      <div className="mt-4 flex flex-wrap items-baseline gap-x-2 gap-y-1 text-sm text-slate-700">
        <span className="min-w-0 break-words">
          Signed in as <strong className="font-semibold text-slate-900">{account.email}</strong>
        </span>
        <span className="flex items-baseline gap-2">
          <span aria-hidden="true">·</span>
          <form action={switchAccount}>
            <input type="hidden" name="interaction" value={interactionId} />
            <button type="submit" className="font-semibold text-brand-700 underline">
              Not you?
            </button>
          </form>
        </span>
      </div>
      <p className="mt-5 text-slate-700">If you allow it, this application will be able to:</p>
      <ul className="mt-3 space-y-2">
        {found.interaction.request.scopes.map((scope) => (
          <li key={scope} className="flex gap-3 rounded-md bg-slate-50 px-4 py-3 text-slate-800">
            <span aria-hidden="true" className="text-brand-700">
              ✓
            </span>
            <span>{describeScope(scope)}</span>
          </li>
        ))}
      </ul>
      {links.length > 0 ? (
        <nav aria-label={`About ${client.name}`} className="mt-4">
          <ul className="flex flex-wrap gap-x-5 gap-y-2 text-sm">
            {links.map(({ label, href }) => (
              <li key={label}>
                <a href={href} target="_blank" rel="noopener noreferrer" className="font-semibold text-brand-700 underline">
                  {label}
                  <span className="sr-only"> of {client.name} (opens in a new tab)</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <p className="mt-4 text-sm break-words text-slate-600">
        You will return to <span className="font-mono">{returnTarget(found.interaction.request.redirectUri)}</span>. You can withdraw this
        access at any time.
      </p>
      <div className="mt-6">
        <ConsentForm interaction={interactionId} clientName={client.name} />
      </div>
    </PortalFrame>
  );
}

/** The URL when it is https (RFC 7591 §2 asks for pages people are shown; the console also takes loopback http). */
function httpsUrl(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && !url.username && !url.password ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The application's home page, privacy policy and terms, when registered. */
function pageLinks(client: Client): { label: string; href: string }[] {
  const candidates = [
    { label: "Home page", href: httpsUrl(client.clientUri) },
    { label: "Privacy policy", href: httpsUrl(client.policyUri) },
    { label: "Terms of service", href: httpsUrl(client.tosUri) },
  ];
  return candidates.filter((link): link is { label: string; href: string } => link.href !== undefined);
}

/** The origin of a web redirect URI, or the whole URI of a native app's private-use scheme. */
function returnTarget(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : redirectUri;
}
