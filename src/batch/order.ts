/**
 * Code-point order for paths and names. localeCompare depends on the ICU data and locale of the
 * machine; batch outputs must come out the same everywhere, serial or parallel.
 */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
