// A software WebAuthn authenticator for tests, built on node:crypto per the WebAuthn Level 3
// specification: an ES256 (P-256) key pair per credential, authenticator data (§6.1: the rp id's
// SHA-256, flags, the signature counter, the attested credential data with a COSE key, §6.5.1)
// and client data (§5.8.1) it signs, with "none" attestation (§8.7). It answers the options the
// portal hands out exactly as a browser would hand them on, so the real @simplewebauthn/server
// verification runs on what it makes. Knobs let a test play an attacker: another origin or rp id,
// a counter that goes back, a user that was not verified.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

type Cbor = number | string | Uint8Array | readonly Cbor[] | ReadonlyMap<Cbor, Cbor> | { readonly [key: string]: Cbor };

/** Canonical-enough CBOR (RFC 8949) for what an authenticator sends: ints, text, bytes, arrays, maps. */
export function cbor(value: Cbor): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
    if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
    const out = Buffer.alloc(5);
    out[0] = (major << 5) | 26;
    out.writeUInt32BE(length, 1);
    return out;
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map((item: Cbor) => cbor(item))]);
  const entries = value instanceof Map ? [...(value as ReadonlyMap<Cbor, Cbor>).entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([key, item]) => [cbor(key as Cbor), cbor(item as Cbor)])]);
}

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
const b64url = (data: Uint8Array) => Buffer.from(data).toString("base64url");

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

export interface Credential {
  readonly id: Buffer;
  readonly privateKey: KeyObject;
  readonly rpId: string;
  readonly userHandle: string | undefined;
  counter: number;
}

export interface CeremonyOptions {
  /** The page's origin as the browser would report it. */
  readonly origin: string;
  /** The rp id the authenticator scopes the credential to; the options' rpId (or the origin's host) by default. */
  readonly rpId?: string;
  /** Whether the person was verified (PIN, biometrics): true by default. */
  readonly userVerified?: boolean;
}

export interface SoftAuthenticatorOptions {
  /** A synced passkey (backup eligible and backed up): "multiDevice". Device-bound by default. */
  readonly synced?: boolean;
  /** A counter that stays 0 (as many platform authenticators keep none). Counts from 1 by default. */
  readonly noCounter?: boolean;
}

/** Options as the server sends them (PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON). */
interface CreationOptions {
  readonly challenge: string;
  readonly rp: { readonly id?: string };
  readonly user: { readonly id: string };
}
interface RequestOptions {
  readonly challenge: string;
  readonly rpId?: string;
  readonly allowCredentials?: readonly { readonly id: string }[];
}

export class SoftAuthenticator {
  readonly credentials: Credential[] = [];
  constructor(private readonly options: SoftAuthenticatorOptions = {}) {}

  private flags(userVerified: boolean, attested: boolean): number {
    let flags = FLAG_UP | (userVerified ? FLAG_UV : 0) | (attested ? FLAG_AT : 0);
    if (this.options.synced) flags |= FLAG_BE | FLAG_BS;
    return flags;
  }

  private authenticatorData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter >>> 0);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  private clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), "utf8");
  }

  /** navigator.credentials.create(): a new discoverable credential, as RegistrationResponseJSON. */
  register(options: CreationOptions, ceremony: CeremonyOptions) {
    const rpId = ceremony.rpId ?? options.rp.id ?? new URL(ceremony.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const coseKey = cbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, "base64url")],
        [-3, Buffer.from(jwk.y!, "base64url")],
      ]),
    );
    const id = randomBytes(32);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, id, coseKey]);
    const credential: Credential = { id, privateKey, rpId, userHandle: options.user.id, counter: 0 };
    const authData = this.authenticatorData(rpId, this.flags(ceremony.userVerified ?? true, true), credential.counter, attested);
    const clientDataJSON = this.clientData("webauthn.create", options.challenge, ceremony.origin);
    this.credentials.push(credential);
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(cbor({ fmt: "none", attStmt: {}, authData })),
        transports: ["internal"],
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
    };
  }

  /**
   * navigator.credentials.get(): an assertion by the credential (the first allowed one, or the
   * last made), as AuthenticationResponseJSON. `counter` overrides the next signature counter.
   */
  authenticate(options: RequestOptions, ceremony: CeremonyOptions & { readonly credential?: Credential; readonly counter?: number }) {
    const allowed = options.allowCredentials?.map((item) => item.id);
    const credential =
      ceremony.credential ??
      (allowed?.length ? this.credentials.find((item) => allowed.includes(b64url(item.id))) : this.credentials.at(-1));
    if (!credential) throw new Error("no credential for these options");
    const rpId = ceremony.rpId ?? options.rpId ?? credential.rpId;
    const counter = ceremony.counter ?? (this.options.noCounter ? 0 : credential.counter + 1);
    credential.counter = counter;
    const authData = this.authenticatorData(rpId, this.flags(ceremony.userVerified ?? true, false), counter);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, ceremony.origin);
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(credential.userHandle ? { userHandle: credential.userHandle } : {}),
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
    };
  }
}
