import { quoteUserText } from "./quote-user-text.js";

const loginPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** A GitHub login named without `@`, so a reply about someone does not notify them; anything unlike a login is quoted. */
export function formatLogin(login: string): string {
  return loginPattern.test(login) ? login : quoteUserText(login);
}
