/**
 * Refuses a package before anything is sent, with the server's own rules and messages
 * (`package/paths.ts` is shared with the server), and lists every offending entry at once:
 * the server stops at the first, which would cost one round trip per fix.
 */
import { PackageError } from "../lib/errors.ts";
import { checkReserved, quoteEntry, validatePackagePath } from "../package/paths.ts";
import { CliError, ExitCode } from "./errors.ts";

/** Throws a `CliError` (exit 5) listing every path that breaks a package rule. */
export function checkPackagePaths(paths: readonly string[]): void {
  const problems: PackageError[] = [];
  const seen = new Map<string, string>();
  for (const raw of paths) {
    try {
      const path = validatePackagePath(raw);
      checkReserved(path, raw);
      const earlier = seen.get(path);
      if (earlier !== undefined) throw duplicate(path, earlier, raw);
      seen.set(path, raw);
    } catch (error) {
      if (!(error instanceof PackageError)) throw error;
      problems.push(error);
    }
  }
  if (!seen.has("index.html") && problems.length === 0) {
    problems.push(
      new PackageError(
        "missing_index",
        `Package has no "index.html" at its root; add one, it is the storefront's entry page`,
      ),
    );
  }
  if (problems.length > 0) throw refusal(problems);
}

/** Two names that differ only in Unicode form (macOS NFD vs NFC) are the same served path. */
function duplicate(path: string, earlier: string, raw: string): PackageError {
  return new PackageError(
    "duplicate_entry",
    `Package contains the same path twice (after normalization): ${quoteEntry(path)} ` +
      `from ${quoteEntry(earlier)} and ${quoteEntry(raw)}`,
    raw,
  );
}

function refusal(problems: PackageError[]): CliError {
  const count = problems.length === 1 ? "1 entry" : `${problems.length} entries`;
  return new CliError(
    ExitCode.packageRefused,
    `Package refused before upload (${count}); nothing was sent`,
    problems.map((problem) => problem.message),
    `package_${problems[0].rule}`,
  );
}
