/**
 * Go's `%q` escapes, as Prometheus writes label values in series names (Grafana verbose legends,
 * promtool) and VictoriaMetrics writes quoted CSV fields: \" \\ \n \t \r \a \b \f \v, \xNN,
 * \uNNNN, \UNNNNNNNN and octal \NNN. Unknown escapes keep the character after the backslash.
 */
export function unescapeGo(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i];
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
      case 'u':
      case 'U': {
        const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
        const hex = s.slice(i + 1, i + 1 + len);
        if (hex.length === len && /^[0-9a-fA-F]+$/.test(hex)) {
          out +=
            n === 'x'
              ? String.fromCharCode(Number.parseInt(hex, 16))
              : String.fromCodePoint(Number.parseInt(hex, 16));
          i += len;
        } else out += n;
        break;
      }
      default:
        if (n >= '0' && n <= '7' && /^[0-7]{3}$/.test(s.slice(i, i + 3))) {
          out += String.fromCharCode(Number.parseInt(s.slice(i, i + 3), 8));
          i += 2;
        } else out += n;
    }
  }
  return out;
}
