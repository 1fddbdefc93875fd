/** An environment held at one SHA (e.g. after a rollback) until someone clears the pin. */
export interface EnvironmentPin {
  environmentKey: string;
  sha: string;
  reason: string | null;
  pinnedBy: string | null;
  /** The revert pull request Slipway opened for a `/rollback`: merging it (and no other) lifts the pin. */
  revertPullNumber: number | null;
  createdAt: Date;
}

export interface EnvironmentPinRow {
  environment_id: string;
  sha: string;
  reason: string | null;
  pinned_by: string | null;
  revert_pull_number: number | null;
  created_at: Date;
}

export function toEnvironmentPin(row: EnvironmentPinRow): EnvironmentPin {
  return {
    environmentKey: row.environment_id,
    sha: row.sha,
    reason: row.reason,
    pinnedBy: row.pinned_by,
    revertPullNumber: row.revert_pull_number === null ? null : Number(row.revert_pull_number),
    createdAt: row.created_at,
  };
}
