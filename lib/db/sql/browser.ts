// The statements every screen and sign-in step runs (benchmark scenarios flow and flow-bcrypt):
// the session behind the cookie, and the pending authorization request.
import { columns, table } from "./names.ts";

const s = columns("Session", "s");
const u = columns("User", "u");
const I = columns("Interaction");

export const FIND_SESSION = `
  SELECT ${s.id} AS "id", ${s.userId} AS "userId", ${s.authTime} AS "authTime", ${s.amr} AS "amr", ${s.lastSeenAt} AS "lastSeenAt",
         ${s.expiresAt} AS "expiresAt", ${s.endedAt} AS "endedAt", ${u.disabled} AS "userDisabled"
  FROM ${table("Session")} s JOIN ${table("User")} u ON ${u.id} = ${s.userId}
  WHERE ${s.tokenHash} = $1`;

export const FIND_INTERACTION = `
  SELECT ${I.id}, ${I.clientRef}, ${I.params}, ${I.sessionId}, ${I.authTime}, ${I.consentedAt}, ${I.expiresAt}, ${I.completedAt}
  FROM ${table("Interaction")} WHERE ${I.id} = $1`;
