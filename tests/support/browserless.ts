// A browser without JavaScript, reduced to what an authorization flow needs: a cookie jar,
// manual redirects, and posting an HTML form with its hidden fields.

export class FlowError extends Error {
  override name = "FlowError";
}

export interface BrowserOptions {
  /**
   * Called when the server refuses a request for overload (503 with Retry-After). Returning true
   * sends the same request again after the seconds the server asked for, as a person does on its
   * "try again shortly" page; without it, the 503 is the answer.
   */
  readonly onRefused?: (retryAfterSeconds: number) => boolean;
}

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  constructor(readonly options: BrowserOptions = {}) {}

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** Drops one cookie, as a browser does when it expires (a session ended, a device cookie kept). */
  forget(name: string): void {
    this.cookies.delete(name);
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";", 1)[0] ?? "";
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      // An expired or emptied cookie is a deletion.
      if (value === "" || /max-age=0\b|expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** A fetch that keeps cookies and never follows redirects. */
export async function visit(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header();
  if (cookie) headers.set("cookie", cookie);
  for (;;) {
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    jar.store(response);
    const retryAfter = response.status === 503 ? Number(response.headers.get("retry-after") ?? Number.NaN) : Number.NaN;
    if (!Number.isInteger(retryAfter) || retryAfter < 0 || !jar.options.onRefused?.(retryAfter)) return response;
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    const cookie = jar.header();
    if (cookie) headers.set("cookie", cookie);
  }
}

/** The Location of a redirect, resolved against the request URL; throws on anything else. */
export async function expectRedirect(response: Response, step: string): Promise<URL> {
  const location = response.headers.get("location");
  if (response.status < 300 || response.status > 399 || !location) {
    const body = (await response.text()).slice(0, 300);
    throw new FlowError(`${step}: expected a redirect, got ${response.status} ${body}`);
  }
  await response.body?.cancel();
  return new URL(location, response.url);
}

export async function expectPage(response: Response, step: string): Promise<string> {
  const html = await response.text();
  if (response.status !== 200) throw new FlowError(`${step}: expected 200, got ${response.status} ${html.slice(0, 300)}`);
  return html;
}

const ENTITIES: Readonly<Record<string, string>> = { quot: '"', amp: "&", lt: "<", gt: ">", apos: "'", "#39": "'", "#x27": "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(quot|amp|lt|gt|apos|#39|#x27);/g, (_match, name: string) => ENTITIES[name] ?? "");
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`, "i").exec(tag);
  return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
}

export interface ParsedForm {
  readonly action: string | undefined;
  readonly multipart: boolean;
  /** The hidden fields: what a browser would submit without input. */
  readonly fields: Array<[string, string]>;
}

/** The first form of a page: its action and the fields a browser would submit without input. */
export function parseForm(html: string, step: string): ParsedForm {
  const form = /<form\b[^>]*>[\s\S]*?<\/form>/i.exec(html)?.[0];
  if (!form) throw new FlowError(`${step}: the page has no form`);
  return parseFormElement(form);
}

/** The one form of a page that contains `marker` (say, a field's name="…"), as HTML of its own. */
export function formWith(html: string, marker: string, step: string): string {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map(([form]) => form).filter((form) => form.includes(marker));
  if (forms.length !== 1) throw new FlowError(`${step}: expected one form with ${marker}, found ${forms.length}`);
  return forms[0]!;
}

/** Every form of a page. */
export function parseForms(html: string): ParsedForm[] {
  return [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map(([form]) => parseFormElement(form));
}

function parseFormElement(form: string): ParsedForm {
  const openTag = /<form\b[^>]*>/i.exec(form)?.[0] ?? "";
  const fields: Array<[string, string]> = [];
  for (const [tag] of form.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(tag, "name");
    if (name && attribute(tag, "type") === "hidden") fields.push([name, attribute(tag, "value") ?? ""]);
  }
  const multipart = attribute(openTag, "enctype")?.toLowerCase() === "multipart/form-data";
  return { action: attribute(openTag, "action"), multipart, fields };
}

/**
 * Submits a form the way a browser without JavaScript does: in the form's encoding, with Origin.
 * `origin` may instead give the request's headers exactly (say, none, or only Sec-Fetch-Site).
 */
export async function submitForm(
  jar: CookieJar,
  pageUrl: string,
  html: string,
  values: ReadonlyArray<readonly [string, string]>,
  origin: string | { readonly headers: Readonly<Record<string, string>> },
  step: string,
): Promise<Response> {
  const { action, multipart, fields } = parseForm(html, step);
  const body = multipart ? new FormData() : new URLSearchParams();
  for (const [name, value] of [...fields, ...values]) body.append(name, value);
  // An empty action submits to the page's own URL (HTML: "the document's URL").
  const target = action ? new URL(action, pageUrl).toString() : pageUrl;
  return visit(jar, target, { method: "POST", body, headers: typeof origin === "string" ? { origin } : { ...origin.headers } });
}
