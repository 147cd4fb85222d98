// A real SMTP server on loopback (smtp-server) that keeps every message it receives, parsed
// (mailparser), for tests that follow the links the portal mails. No TLS, no authentication: it
// listens on 127.0.0.1 only.
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly text: string;
}

export interface TestMailbox {
  readonly port: number;
  readonly url: string;
  /** Every message so far, oldest first. */
  readonly received: readonly ReceivedMail[];
  /** The next message to `to` (optionally with a subject matching `subject`) not returned yet, waiting up to `timeoutMs`. */
  next(to: string, subject?: RegExp, timeoutMs?: number): Promise<ReceivedMail>;
  /** Messages to `to` not returned by next() yet. */
  unread(to: string): ReceivedMail[];
  close(): Promise<void>;
}

/** The first portal link in a message (a reset or verification link). */
export function linkIn(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`https?://\\S+${path.replace(/[/?]/g, "\\$&")}\\?token=[A-Za-z0-9_-]+`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in the message "${mail.subject}":\n${mail.text}`);
  return match[0];
}

export async function startMailbox(port = 0): Promise<TestMailbox> {
  const received: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
          for (const to of recipients) {
            received.push({ to, from: parsed.from?.text ?? "", subject: parsed.subject ?? "", text: parsed.text ?? "" });
          }
          for (const wake of waiters) wake();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const matching = (to: string, subject?: RegExp) =>
    received.filter((mail) => !taken.has(mail) && mail.to === to.toLowerCase() && (!subject || subject.test(mail.subject)));
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    received,
    unread: (to) => matching(to),
    async next(to, subject, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = matching(to, subject)[0];
        if (found) {
          taken.add(found);
          return found;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no message to ${to}${subject ? ` matching ${subject}` : ""} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
