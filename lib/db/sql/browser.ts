// The statements every screen and sign-in step runs (benchmark scenarios flow and flow-bcrypt):
// the session behind the cookie, the pending authorization request, and the grant and code a
// completed request yields.
import { columns, table } from "./names.ts";

const s = columns("Session", "s");
const u = columns("User", "u");
const I = columns("Interaction");
const G = columns("Grant");
const AC = columns("AuthorizationCode");

export const FIND_SESSION = `
  SELECT ${s.id} AS "id", ${s.userId} AS "userId", ${s.authTime} AS "authTime", ${s.amr} AS "amr", ${s.lastSeenAt} AS "lastSeenAt",
         ${s.expiresAt} AS "expiresAt", ${s.endedAt} AS "endedAt", ${u.disabled} AS "userDisabled"
  FROM ${table("Session")} s JOIN ${table("User")} u ON ${u.id} = ${s.userId}
  WHERE ${s.tokenHash} = $1`;

export const FIND_INTERACTION = `
  SELECT ${I.id}, ${I.clientRef}, ${I.params}, ${I.sessionId}, ${I.authTime}, ${I.consentedAt}, ${I.expiresAt}, ${I.completedAt}
  FROM ${table("Interaction")} WHERE ${I.id} = $1`;

export const INSERT_INTERACTION = `
  INSERT INTO ${table("Interaction")} (${I.id}, ${I.clientRef}, ${I.params}, ${I.sessionId}, ${I.createdAt}, ${I.expiresAt})
  VALUES ($1, $2, $3, $4, $5, $6)`;

export const RECORD_INTERACTION_LOGIN = `
  UPDATE ${table("Interaction")} SET ${I.sessionId} = $2, ${I.userId} = $3, ${I.authTime} = $4 WHERE ${I.id} = $1`;

/** The conditional update is the lock: of two concurrent completions, one changes the row. */
export const COMPLETE_INTERACTION = `
  UPDATE ${table("Interaction")} SET ${I.completedAt} = $2 WHERE ${I.id} = $1 AND ${I.completedAt} IS NULL`;

export const INSERT_GRANT = `
  INSERT INTO ${table("Grant")} (${G.id}, ${G.userId}, ${G.clientRef}, ${G.scope}, ${G.sessionId}, ${G.authTime}, ${G.amr}, ${G.createdAt})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

export const INSERT_CODE = `
  INSERT INTO ${table("AuthorizationCode")} (${AC.id}, ${AC.codeHash}, ${AC.grantId}, ${AC.clientRef}, ${AC.userId}, ${AC.redirectUri},
    ${AC.scope}, ${AC.nonce}, ${AC.codeChallenge}, ${AC.codeChallengeMethod}, ${AC.authTime}, ${AC.sessionId}, ${AC.createdAt}, ${AC.expiresAt})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`;
