// Request parameters as the protocol core sees them: every occurrence kept (RawParams), so that a
// repeated parameter can be refused instead of silently resolved (RFC 6749 §3.1, §3.2).
import { InvalidRequest } from "../oauth/errors.ts";
import { type RawParams } from "../oauth/types.ts";
import { mediaTypeOf } from "../oauth/wire-values.ts";

const FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The query parameters of the request URL, every occurrence kept, decoded strictly as UTF-8. */
export function readQueryParams(request: Request): RawParams {
  // The URL parser has already percent-encoded any non-ASCII character as UTF-8, so `search` is
  // ASCII and the same strict decoder as for bodies applies.
  const search = new URL(request.url).search.slice(1);
  return parseFormEncoded(new TextEncoder().encode(search));
}

/**
 * The form body of a POST. RFC 6749 §3.2 and §4.1.3: token requests use
 * `application/x-www-form-urlencoded` with UTF-8 (Appendix B); anything else is invalid_request.
 */
export async function readFormParams(request: Request, { maxBytes = 64 * 1024 }: { maxBytes?: number } = {}): Promise<RawParams> {
  const contentType = request.headers.get("content-type");
  // RFC 9110 §8.3.1: the media type is case-insensitive and may carry parameters. A `charset`
  // parameter is not defined for this type; the decoding is UTF-8 whatever it says (Appendix B).
  const mediaType = mediaTypeOf(contentType);
  if (mediaType !== FORM_MEDIA_TYPE) {
    throw new InvalidRequest(`the request body must be ${FORM_MEDIA_TYPE}`);
  }
  return parseFormEncoded(await readBodyCapped(request, maxBytes));
}

/** Reads at most `maxBytes`; Content-Length is only a shortcut, the stream itself is counted. */
async function readBodyCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new InvalidRequest(`the request body must not exceed ${maxBytes} bytes`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * The WHATWG application/x-www-form-urlencoded parser, working on bytes so that invalid UTF-8
 * (raw or percent-encoded) is refused rather than replaced with U+FFFD as URLSearchParams does:
 * a mangled value must never reach a comparison against a stored secret or redirect URI.
 */
export function parseFormEncoded(bytes: Uint8Array): RawParams {
  const params = new Map<string, string[]>();
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x26 /* & */, start);
    if (end === -1) end = bytes.length;
    if (end > start) {
      const pair = bytes.subarray(start, end);
      const eq = pair.indexOf(0x3d /* = */);
      const name = decodeFormComponent(eq === -1 ? pair : pair.subarray(0, eq));
      const value = eq === -1 ? "" : decodeFormComponent(pair.subarray(eq + 1));
      if (name === undefined || value === undefined) {
        throw new InvalidRequest("request parameters must be valid UTF-8 without NUL characters");
      }
      const values = params.get(name);
      if (values) values.push(value);
      else params.set(name, [value]);
    }
    start = end + 1;
  }
  return params;
}

/**
 * Form-url-decodes one name or value: `+` is a space, `%XX` is a byte, the bytes are UTF-8.
 * A `%` not followed by two hex digits stays literal, as in the WHATWG parser. Returns undefined
 * when the bytes are not valid UTF-8, or hold a NUL: no OAuth value contains one, and PostgreSQL
 * text cannot store one, so it must stop here rather than fail deep in a query.
 */
export function decodeFormComponent(bytes: Uint8Array): string | undefined {
  // Most values (tokens, codes, client ids) need no unescaping: decoded as they are.
  if (bytes.indexOf(0x25 /* % */) === -1 && bytes.indexOf(0x2b /* + */) === -1) return decodeUtf8(bytes);
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const high = hexValue(bytes[i + 1]);
    const low = hexValue(bytes[i + 2]);
    if (byte === 0x25 /* % */ && high !== undefined && low !== undefined) {
      out[length++] = high * 16 + low;
      i += 2;
    } else {
      out[length++] = byte === 0x2b /* + */ ? 0x20 : byte;
    }
  }
  return decodeUtf8(out.subarray(0, length));
}

/** Strict UTF-8 without NUL characters, or undefined. */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function hexValue(byte: number | undefined): number | undefined {
  if (byte === undefined) return undefined;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return undefined;
}

// Reading one parameter and refusing repeats are protocol rules; they live in the core.
export { rejectDuplicates, single } from "../oauth/raw-params.ts";
