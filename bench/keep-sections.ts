// BENCHMARKS.md is shared: `npm run bench` rewrites it, other benches (bench:dashboard, bench:nightly,
// the predictions figures) own a section of it between their markers, `<!-- name:begin -->` (or
// `:start`) … `<!-- name:end -->`. These are carried over as they are, except those this run writes anew.
export function keepSections(previous: string, except: readonly string[] = []): string[] {
  return Array.from(previous.matchAll(/<!-- ([a-z0-9-]+):(?:begin|start) -->[\s\S]*?<!-- \1:end -->/g))
    .filter((m) => !except.includes(m[1] ?? ''))
    .map((m) => m[0]);
}
