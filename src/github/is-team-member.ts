import type { ProbotOctokit } from "probot";

/** Whether a user is an active member of an organization's team (`org/team`); needs the members permission. */
export async function isTeamMember(octokit: ProbotOctokit, params: { team: string; username: string }): Promise<boolean> {
  const [org, teamSlug] = params.team.split("/") as [string, string];
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: teamSlug, username: params.username });
    return data.state === "active";
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}
