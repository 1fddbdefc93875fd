/**
 * Environments in an order where each comes after the ones it `needs` (the config parser has
 * already refused cycles and unknown names); ties keep the config's order.
 */
export function orderByNeeds<E extends { name: string; needs: readonly string[] }>(environments: readonly E[]): E[] {
  const byName = new Map(environments.map((environment) => [environment.name, environment]));
  const ordered: E[] = [];
  const placed = new Set<string>();
  const place = (environment: E, trail: Set<string>) => {
    if (placed.has(environment.name) || trail.has(environment.name)) return;
    trail.add(environment.name);
    for (const need of environment.needs) {
      const needed = byName.get(need);
      if (needed) place(needed, trail);
    }
    placed.add(environment.name);
    ordered.push(environment);
  };
  for (const environment of environments) place(environment, new Set());
  return ordered;
}
