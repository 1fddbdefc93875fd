import { appJson, installationJson, repositoryJson } from "../github-json.js";
import { notFound, validationFailed } from "../http-error.js";
import { json, jsonPage, type RouteTable } from "../route-types.js";
import type { SimulatorCore } from "../simulator-core.js";

/** GitHub App endpoints: the App itself, its one installation, and installation tokens. */
export function appRoutes(core: SimulatorCore): RouteTable {
  const installation = () => installationJson(core.ctx, core.installationId, core.installationAccount, core.installationCreatedAt);

  return {
    "apps/get-authenticated": () => json(appJson(core.ctx)),

    // The App manifest flow: a code GitHub handed the browser converts, once, into the App's credentials.
    "apps/create-from-manifest": ({ params }) => {
      const code = String(params.code);
      if (!core.manifestCodes.delete(code)) throw notFound();
      return json(
        {
          ...appJson(core.ctx),
          client_id: core.ctx.app.clientId,
          client_secret: `secret-${core.ctx.app.id}`,
          webhook_secret: core.webhooks.secret,
          pem: core.credentials.privateKey,
        },
        201,
      );
    },

    "apps/list-installations": (request) => jsonPage(request, [installation()]),

    "apps/get-installation": ({ params }) => {
      if (params.installation_id !== core.installationId) throw notFound();
      return json(installation());
    },

    "apps/get-repo-installation": ({ params }) => {
      core.repo(params.owner, params.repo);
      return json(installation());
    },

    "apps/create-installation-access-token": ({ params, body }) => {
      if (params.installation_id !== core.installationId) throw notFound();
      const requested = (body.permissions ?? {}) as Record<string, string>;
      for (const [name, level] of Object.entries(requested)) {
        const granted = core.ctx.app.permissions[name];
        if (!granted || (granted === "read" && level !== "read")) {
          throw validationFailed(`The permissions requested are not granted to this installation.`);
        }
      }
      const permissions = Object.keys(requested).length > 0 ? requested : core.ctx.app.permissions;
      const token = core.credentials.issueToken(core.installationId, permissions);
      const response: Record<string, unknown> = {
        token: token.token,
        expires_at: token.expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
        permissions,
        repository_selection: "all",
      };
      const names = body.repositories as string[] | undefined;
      if (names && names.length > 0) {
        const owner = core.installationAccount.login;
        response.repositories = names.map((name) => {
          const repo = core.state.repository(owner, name);
          if (!repo) throw validationFailed(`There is at least one repository that does not exist or is not accessible to the parent installation.`);
          return repositoryJson(core.ctx, repo);
        });
        response.repository_selection = "selected";
      }
      return json(response, 201);
    },

    "apps/list-repos-accessible-to-installation": (request) => {
      const repos = [...core.state.repositories.values()].map((repo) => repositoryJson(core.ctx, repo));
      const page = jsonPage(request, repos);
      return { ...page, body: { total_count: repos.length, repository_selection: "all", repositories: page.body } };
    },
  };
}
