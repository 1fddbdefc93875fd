import { formatLogin } from "./format-login.js";

/** A lock holder as a reply shows it: `#12` stays a link to the pull request, a login is named without `@`. */
export function formatHolder(holder: string): string {
  return /^#[0-9]{1,10}$/.test(holder) ? holder : formatLogin(holder);
}
