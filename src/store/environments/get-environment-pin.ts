import type { SqlSession } from '../database.js';
import { toEnvironmentPin, type EnvironmentPin, type EnvironmentPinRow } from './environment-pin.js';

export async function getEnvironmentPin(db: SqlSession, environmentKey: string): Promise<EnvironmentPin | null> {
  const rows = await db.query<EnvironmentPinRow>('SELECT * FROM environment_pins WHERE environment_id = $1', [environmentKey]);
  return rows[0] ? toEnvironmentPin(rows[0]) : null;
}
