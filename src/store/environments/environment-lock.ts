/** An environment reserved by one holder (e.g. a pull request, `#12`); others may not deploy to it. */
export interface EnvironmentLock {
  environmentId: string;
  holder: string;
  createdAt: Date;
}

export interface EnvironmentLockRow {
  environment_id: string;
  holder: string;
  created_at: Date;
}

export function toEnvironmentLock(row: EnvironmentLockRow): EnvironmentLock {
  return { environmentId: row.environment_id, holder: row.holder, createdAt: row.created_at };
}
