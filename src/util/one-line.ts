/**
 * A message quoting input text, made safe to print as one line: line breaks, tabs, terminal
 * escape sequences (ESC …), other control characters and the Unicode characters that reorder or
 * break text (bidi overrides, line separators) are written as visible escapes. A hostile input can
 * then neither split a warning into lines nor drive the terminal the message is printed to.
 */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
