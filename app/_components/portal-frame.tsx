import Link from "next/link";
import type { ReactNode } from "react";
import { getConfig } from "@/lib/env";

/** The portal's name and logo (PORTAL_NAME, PORTAL_LOGO_URL), linking home. */
export function PortalBrand() {
  const { portalName, portalLogoUrl } = getConfig();
  return (
    <Link href="/" className="inline-flex items-center gap-3 self-start rounded-md text-lg font-bold tracking-tight text-slate-900">
      {portalLogoUrl ? (
        // eslint-disable-next-line @next/next/no-img-element -- any https URL; next/image would proxy it
        <img src={portalLogoUrl} alt="" width={32} height={32} className="h-8 w-auto max-w-32 object-contain" />
      ) : null}
      <span>{portalName}</span>
    </Link>
  );
}

/** A screen of the portal for people (not the admin console): its brand above one card. */
export function PortalFrame({ children, width = "md" }: { readonly children: ReactNode; readonly width?: "md" | "lg" }) {
  return (
    <main
      className={`mx-auto flex min-h-screen w-full ${width === "lg" ? "max-w-lg" : "max-w-md"} flex-col justify-center gap-6 px-5 py-12`}
    >
      <PortalBrand />
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">{children}</div>
    </main>
  );
}
