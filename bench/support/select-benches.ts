/**
 * The bench files to run, in name order: all of them, or those `only` names by the start
 * of the file name (`bench-1`) or of the part after its number (`peers` for bench-8-peers).
 */
export function selectBenches(files: readonly string[], only: string | undefined): string[] {
  return files.filter((f) => /^bench-.*\.js$/.test(f) && (!only || f.startsWith(only) || f.replace(/^bench-\d+-/, '').startsWith(only))).sort();
}
