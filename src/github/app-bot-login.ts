import type { Probot } from "probot";

/**
 * The login of the App's bot user, `<slug>[bot]`, which authors every comment the App writes.
 * Asked of GitHub (`GET /app`) on first use and remembered; a failed ask is asked again later.
 */
export function appBotLogin(probot: Probot): () => Promise<string> {
  let login: Promise<string> | undefined;
  return () => {
    login ??= (async () => {
      const octokit = await probot.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data?.slug) throw new Error("GitHub did not say this App's slug (GET /app)");
      return `${data.slug}[bot]`;
    })();
    login.catch(() => (login = undefined));
    return login;
  };
}
