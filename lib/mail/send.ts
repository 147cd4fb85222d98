// Sending mail: through the SMTP relay SMTP_URL names, with nodemailer; without one, each message
// is written to the server's output, so a portal run locally still lets its user follow a link.
// Callers send after they answered (lib/services/deferred.ts): a slow or absent relay never
// delays a page, and never makes an answer take longer for an account that exists.
import nodemailer, { type Transporter } from "nodemailer";
import { getConfig } from "../env.ts";
import { processState } from "../process-state.ts";

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  /** Plain text: links stay whole and readable in any client. */
  readonly text: string;
}

/** One transport per process and relay URL; it opens a connection per message (no pool). */
function transportFor(smtpUrl: string): Transporter {
  const transports = processState("mail-transports", () => new Map<string, Transporter>());
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/**
 * Sends one message. Never throws: a failure is written to standard error (without the body,
 * which may hold a link) and the message is lost; the person can ask for another link.
 */
export async function sendMail(message: MailMessage): Promise<boolean> {
  const config = getConfig();
  if (!config.smtpUrl) {
    process.stdout.write(
      `mail not sent (SMTP_URL is not set): to ${message.to}, subject "${message.subject}"\n` +
        message.text
          .split("\n")
          .map((line) => `  | ${line}`)
          .join("\n") +
        "\n",
    );
    return false;
  }
  try {
    await transportFor(config.smtpUrl).sendMail({ from: config.mailFrom, to: message.to, subject: message.subject, text: message.text });
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mail to ${message.to} ("${message.subject}") could not be sent: ${reason.split("\n")[0]}\n`);
    return false;
  }
}
