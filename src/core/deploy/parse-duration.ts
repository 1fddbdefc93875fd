/** `90s`, `5m`, `1h` (the config's duration pattern) in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^([0-9]+)(s|m|h)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = match[2] === "s" ? 1_000 : match[2] === "m" ? 60_000 : 3_600_000;
  return Number(match[1]) * unit;
}
