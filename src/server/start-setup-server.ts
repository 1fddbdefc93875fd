import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Probot, Server } from "probot";
import type { Logger } from "pino";
import type { ServerConfig } from "../config/read-server-config.js";

/**
 * A first start without credentials: Probot's own registration flow, which creates the App on
 * GitHub from app.yml and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET into .env. The probes
 * answer too, so a platform's health checks see the process alive (and not ready).
 */
export async function startSetupServer(config: ServerConfig, log: Logger): Promise<Server> {
  // Probot exports no name for its setup app; it is the one `probot run` uses without credentials.
  const probotEntry = createRequire(import.meta.url).resolve("probot");
  const setupModule = (await import(pathToFileURL(join(dirname(probotEntry), "apps", "setup.js")).href)) as {
    setupAppFactory: (options: { host: string; port: number; log: Logger }) => (app: Probot, options: unknown) => unknown;
  };

  const server = new Server({
    host: config.host,
    port: config.port,
    webhookPath: config.webhookPath,
    log,
    // Probot's own workaround: the setup flow needs a Probot instance but never authenticates.
    Probot: Probot.defaults({ appId: 1, privateKey: "unused during setup", log }),
  });
  server.addHandler((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
      return true;
    }
    if (path === "/readyz") {
      res
        .writeHead(503, { "content-type": "application/json" })
        .end(JSON.stringify({ status: "not ready", reasons: ["the App is not registered yet: open / in a browser to register it"] }));
      return true;
    }
    return false;
  });
  await server.loadHandlerFactory(setupModule.setupAppFactory({ host: config.host, port: config.port, log }) as never);
  await server.start();
  return server;
}
