import type { Octokit } from "@octokit/rest";

/**
 * What Slipway's GitHub functions need of an Octokit: the REST methods, pagination and GraphQL.
 * The App's installation clients (Probot) and the command line's token client both fit, so the
 * two share every call.
 */
export type GitHubClient = Pick<Octokit, "rest" | "paginate" | "graphql">;
