/** One schema change. Versions only grow; an applied migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  /** Single statements, applied in order in one transaction (PGlite prepares one statement at a time). */
  statements: readonly string[];
}
