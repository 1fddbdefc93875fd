import type { GitHubClient } from "./github-client.js";
import { httpStatus } from "./http-status.js";

/** Whether a user is an active member of an organization's team (`org/team`); needs the members permission. */
export async function isTeamMember(octokit: GitHubClient, params: { team: string; username: string }): Promise<boolean> {
  const [org, teamSlug] = params.team.split("/") as [string, string];
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: teamSlug, username: params.username });
    return data.state === "active";
  } catch (error) {
    if (httpStatus(error) === 404) return false;
    throw error;
  }
}
