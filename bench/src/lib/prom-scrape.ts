/** Reads a few gauges from a server's Prometheus text (/metrics over HTTP on its port). */

const SCRAPE_TIMEOUT_MS = 5_000;

/** The value of each named series (first sample of each name, labels ignored); absent names are NaN. */
export async function scrapeMetrics(url: string, names: readonly string[]): Promise<Record<string, number>> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${url}/metrics: HTTP ${response.status}`);
  return valuesIn(await response.text(), names);
}

export function valuesIn(text: string, names: readonly string[]): Record<string, number> {
  const values: Record<string, number> = Object.fromEntries(names.map((name) => [name, Number.NaN]));
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    const name = match?.[1];
    if (!name || !(name in values) || !Number.isNaN(values[name])) continue;
    values[name] = Number(match[3]);
  }
  return values;
}
