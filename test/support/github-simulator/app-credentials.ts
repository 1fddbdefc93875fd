import { generateKeyPairSync, randomBytes, verify, type KeyObject } from "node:crypto";

export type JwtCheck = { ok: true } | { ok: false; message: string };

export interface InstallationToken {
  token: string;
  installationId: number;
  expiresAt: Date;
  permissions: Record<string, string>;
}

/** Longest JWT lifetime GitHub accepts, plus the clock drift it tolerates. */
const MAX_JWT_LIFETIME_S = 600;
const CLOCK_LEEWAY_S = 60;

/**
 * The App's identity as GitHub holds it: a fresh RSA key pair (the test gets the private
 * PEM), JWT verification, and the installation tokens issued so far.
 */
export class AppCredentials {
  readonly privateKey: string;
  private readonly publicKey: KeyObject;
  private readonly tokens = new Map<string, InstallationToken>();

  constructor(readonly appId: number) {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.publicKey = pair.publicKey;
    this.privateKey = pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  }

  verifyJwt(jwt: string, now = Date.now()): JwtCheck {
    const parts = jwt.split(".");
    if (parts.length !== 3) return { ok: false, message: "A JSON web token could not be decoded" };
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    let header: { alg?: string };
    let claims: { iss?: unknown; iat?: unknown; exp?: unknown };
    try {
      header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8"));
      claims = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8"));
    } catch {
      return { ok: false, message: "A JSON web token could not be decoded" };
    }
    if (header.alg !== "RS256") return { ok: false, message: "A JSON web token could not be decoded" };
    const signed = verify("RSA-SHA256", Buffer.from(`${headerPart}.${payloadPart}`), this.publicKey, Buffer.from(signaturePart, "base64url"));
    if (!signed) return { ok: false, message: "A JSON web token could not be decoded" };
    if (String(claims.iss) !== String(this.appId)) {
      return { ok: false, message: `'Issuer' claim ('iss') must be an Integer` };
    }
    const nowS = Math.floor(now / 1000);
    if (typeof claims.exp !== "number" || typeof claims.iat !== "number") {
      return { ok: false, message: `Missing 'issued at' or 'expiration time' claim ('iat' / 'exp')` };
    }
    if (claims.exp <= nowS)
      return { ok: false, message: `'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires` };
    if (claims.exp > nowS + MAX_JWT_LIFETIME_S + CLOCK_LEEWAY_S || claims.exp - claims.iat > MAX_JWT_LIFETIME_S) {
      return { ok: false, message: `'Expiration time' claim ('exp') is too far in the future` };
    }
    if (claims.iat > nowS + CLOCK_LEEWAY_S)
      return { ok: false, message: `'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued` };
    return { ok: true };
  }

  issueToken(installationId: number, permissions: Record<string, string>, now = Date.now()): InstallationToken {
    const token: InstallationToken = {
      token: `ghs_${randomBytes(18).toString("hex")}`,
      installationId,
      // GitHub truncates to whole seconds.
      expiresAt: new Date(Math.floor(now / 1000) * 1000 + 60 * 60 * 1000),
      permissions,
    };
    this.tokens.set(token.token, token);
    return token;
  }

  findToken(token: string, now = Date.now()): InstallationToken | undefined {
    const found = this.tokens.get(token);
    return found && found.expiresAt.getTime() > now ? found : undefined;
  }

  /** Lets tests simulate a token that GitHub already revoked. */
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }
}
