/** What each archive reader yields, apart from `read_package.ts` so the readers need not import it. */

/** One regular file of a package. */
export interface PackageEntry {
  /** The path as the archive spells it, validated, before the top folder is stripped. */
  path: string;
  bytes: Uint8Array;
}
