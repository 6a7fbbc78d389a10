// Jaro-Winkler similarity (prefix scale 0.1 over at most 4 characters, applied when the Jaro
// similarity exceeds 0.7; transpositions = half the mismatched pairs, rounded down), the measure
// DuckDB's jaro_winkler_similarity computes. BigQuery has none,
// so the registry's suggestions are scored here, on the ~700 registry lookups; jaro-winkler.test.ts
// checks it against DuckDB on every pair of the bundled registry.

function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  // Half the mismatched pairs, rounded down (as DuckDB's, rapidfuzz's, implementation counts them).
  return (m / a.length + m / b.length + (m - Math.floor(transpositions / 2)) / m) / 3;
}

export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j <= 0.7) return j;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return j + prefix * 0.1 * (1 - j);
}
