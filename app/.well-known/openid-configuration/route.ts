import { publicJsonResponse } from "@/lib/http/responses";
import { serverMetadataJson } from "@/lib/oauth/discovery/build-metadata";
import { getOAuthConfig } from "@/lib/server/deps";

export const dynamic = "force-dynamic";

// OpenID Connect Discovery 1.0 §4: the same document as /.well-known/oauth-authorization-server,
// serialized once per process. Public and cross-origin readable: browser RPs fetch it (no cookies).
export function GET(): Response {
  return publicJsonResponse(serverMetadataJson(getOAuthConfig().issuer), { maxAgeSeconds: 3600 });
}
