import { withHsts } from "@/lib/http/hsts";
import { checkHealth } from "@/lib/server/health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { database, keys } = await checkHealth();
  const ok = database.ok && keys.ok;
  const body = {
    status: ok ? "ok" : "unavailable",
    database: database.ok ? "ok" : database.reason,
    keys: keys.ok ? "ok" : keys.reason,
  };
  return withHsts(
    Response.json(body, { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } }),
  );
}
