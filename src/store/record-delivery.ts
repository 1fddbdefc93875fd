import type { SqlSession } from "./database.js";

export type DeliveryOutcome = "new" | "duplicate";

/**
 * Remembers a webhook delivery id (`X-GitHub-Delivery`). Atomic, so when GitHub or an
 * operator redelivers, or two replicas receive the same delivery, exactly one sees 'new'.
 */
export async function recordDelivery(db: SqlSession, delivery: { id: string; event: string }): Promise<DeliveryOutcome> {
  const rows = await db.query(
    `INSERT INTO webhook_deliveries (id, event) VALUES ($1, $2)
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [delivery.id, delivery.event],
  );
  return rows.length === 1 ? "new" : "duplicate";
}
