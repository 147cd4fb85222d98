import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { getConfig } from "@/lib/env";
import "./globals.css";

export function generateMetadata(): Metadata {
  const { portalName } = getConfig();
  return {
    title: { default: portalName, template: `%s · ${portalName}` },
    description: "Sign-in and authorization for your applications (OAuth 2.0 and OpenID Connect).",
    robots: { index: false, follow: false },
    icons: { icon: "/favicon.svg" },
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { readonly children: ReactNode }) {
  // Every page renders per request: its scripts carry the nonce of this response's
  // Content-Security-Policy (proxy.ts), and PORTAL_NAME is read at run time.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
