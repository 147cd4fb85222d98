"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/clients", label: "Applications" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/keys", label: "Signing keys" },
  { href: "/admin/registration-tokens", label: "Registration tokens" },
  { href: "/admin/audit", label: "Audit log" },
] as const;

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin console">
      <ul className="flex flex-wrap gap-x-1 gap-y-1">
        {LINKS.map(({ href, label }) => {
          const current = href === "/admin" ? pathname === "/admin" : pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={`block rounded-md px-3 py-2 text-sm font-semibold ${current ? "bg-brand-700 text-white" : "text-slate-800 hover:bg-slate-200"}`}
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
