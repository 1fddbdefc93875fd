import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Logger } from "pino";
import { githubWebUrl } from "../config/github-web-url.js";
import type { ServerConfig } from "../config/read-server-config.js";
import { readAppManifest } from "./read-app-manifest.js";
import { renderSetupPage } from "./render-setup-page.js";
import { writeEnvFile } from "./write-env-file.js";

export interface SetupServer {
  url: string;
  close(): Promise<void>;
}

const callbackPath = "/setup/callback";

/**
 * A first start without credentials: GitHub's App manifest flow, which creates the App from
 * app.yml and hands back APP_ID, PRIVATE_KEY and WEBHOOK_SECRET, written into .env (0600).
 * Closed by default: it listens on 127.0.0.1 unless HOST says otherwise, every page needs the
 * one-time token printed in the log (GitHub carries it back as `state`), there is no way to
 * import credentials, and once the App is registered every setup page answers 404 until a restart.
 * The probes answer throughout, so a platform's health checks see the process alive (and not ready).
 */
export async function startSetupServer(config: ServerConfig, log: Logger, options: { envPath?: string } = {}): Promise<SetupServer> {
  const envPath = options.envPath ?? join(process.cwd(), ".env");
  const token = randomBytes(24).toString("base64url");
  let registered = false;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://setup.invalid");
    if (url.pathname === "/healthz") return send(res, 200, "application/json", JSON.stringify({ status: "ok" }));
    if (url.pathname === "/readyz") {
      const reason = registered
        ? "the App is registered: restart Slipway to run it"
        : "the App is not registered yet: open the address in the log to register it";
      return send(res, 503, "application/json", JSON.stringify({ status: "not ready", reasons: [reason] }));
    }
    if (registered || req.method !== "GET" || (url.pathname !== "/" && url.pathname !== callbackPath)) return send(res, 404, "text/plain", "Not found.\n");

    const given = url.searchParams.get(url.pathname === "/" ? "token" : "state") ?? "";
    if (!sameToken(given, token)) {
      return send(res, 403, "text/plain", "This page needs the one-time token: open the address Slipway printed in its log.\n");
    }

    const baseUrl = config.publicUrl ?? `http://${req.headers.host ?? `localhost:${config.port}`}`;
    if (url.pathname === "/") {
      const manifest = readAppManifest({ baseUrl, webhookPath: config.webhookPath, redirectPath: callbackPath });
      return send(
        res,
        200,
        "text/html; charset=utf-8",
        renderSetupPage({ createAppUrl: `${githubWebUrl(config.githubApiUrl)}/settings/apps/new`, manifest, state: token }),
      );
    }

    // GitHub sends the browser back with a code that converts into the App's credentials once.
    const code = url.searchParams.get("code") ?? "";
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(code)) return send(res, 400, "text/plain", "The code from GitHub is missing or malformed.\n");
    const response = await fetch(`${config.githubApiUrl}/app-manifests/${code}/conversions`, {
      method: "POST",
      headers: { accept: "application/vnd.github+json", "user-agent": "slipway-setup" },
    });
    if (response.status !== 201) {
      log.warn({ status: response.status }, "GitHub refused to convert the registration code; register again from the setup page");
      return send(res, 502, "text/plain", `GitHub answered ${response.status} for the registration code; start again from the page in Slipway's log.\n`);
    }
    const app = (await response.json()) as { id: number; slug: string; pem: string; webhook_secret: string | null; html_url: string };
    if (!app.webhook_secret)
      return send(res, 502, "text/plain", "GitHub created the App without a webhook secret; set one on the App's settings page and in .env.\n");
    writeEnvFile(envPath, { APP_ID: String(app.id), PRIVATE_KEY: app.pem, WEBHOOK_SECRET: app.webhook_secret });
    registered = true;
    log.info(
      { app: app.slug, appId: app.id },
      "The App is registered and its credentials are in .env (readable by this user only). The setup pages are closed: restart Slipway to run it",
    );
    res.writeHead(302, { location: `${app.html_url}/installations/new` }).end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, "Registration request failed");
      if (!res.headersSent) send(res, 500, "text/plain", "Registration failed; see Slipway's log.\n");
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const loopback = ["127.0.0.1", "::1", "0.0.0.0", "::"].includes(address.address);
  const host = loopback ? "localhost" : address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ address: address.address, port: address.port }, `No App credentials yet: open ${url}/?token=${token} to register the GitHub App`);

  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType }).end(body);
}
