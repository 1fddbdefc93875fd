/** An environment reserved by one holder (e.g. a pull request, `#12`); others may not deploy to it. */
export interface EnvironmentLock {
  environmentKey: string;
  holder: string;
  createdAt: Date;
}

export interface EnvironmentLockRow {
  environment_id: string;
  holder: string;
  created_at: Date;
}

export function toEnvironmentLock(row: EnvironmentLockRow): EnvironmentLock {
  return { environmentKey: row.environment_id, holder: row.holder, createdAt: row.created_at };
}
