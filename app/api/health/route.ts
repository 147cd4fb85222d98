import { checkHealth } from "@/lib/server/health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const database = await checkHealth();
  const body = database.ok ? { status: "ok", database: "ok" } : { status: "unavailable", database: database.reason };
  return Response.json(body, { status: database.ok ? 200 : 503, headers: { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } });
}
