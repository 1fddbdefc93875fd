/** What a command may touch of the outside world, so tests can hand in their own. */
export interface CommandIo {
  /** The repository root: paths are read relative to it. */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Folder holding the bundled `v<major.minor>/` schema sets. */
  bundledSchemaRoot: string;
  /** Where compiled validators are kept between runs (default $XDG_CACHE_HOME/slipway); undefined: not kept. */
  cacheDir?: string;
  /** Slipway's version, which names what the cache holds. */
  slipwayVersion?: string;
}
