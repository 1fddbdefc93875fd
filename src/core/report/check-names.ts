/**
 * The names Slipway writes on a commit: check runs and commit status contexts. Users' branch
 * protection rules require them by name, so they are written here once and nowhere else.
 */

/** The check run that validates a head's configuration and manifests. */
export const validateCheckName = "Slipway / validate";

/** Every check run of this App starts so; a failed job completes those it left unfinished. */
export const checkNamePrefix = "Slipway /";

/** The check run that plans one environment. */
export function planCheckName(environment: string): string {
  return `Slipway / plan: ${environment}`;
}

/** The commit status context of an environment's deploys; one per environment, so none overwrites another. */
export function deployStatusContext(environment: string): string {
  return `slipway/deploy: ${environment}`;
}
