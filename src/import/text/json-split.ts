/**
 * Streams a JSON document and hands over its series one at a time, so a query_range answer of a
 * gigabyte never becomes one string (V8 caps strings near 512 MiB). A byte scanner tracks nesting,
 * strings and the keys of the first two object levels; the bytes of each element of the target
 * array are gathered and given to JSON.parse, which does the real parsing.
 *
 * Shapes (formats.md §2, §3.B):
 * - 'envelope': `{"status":…,"data":{"resultType":…,"result":[ELEMENT,…]}}` (Prometheus and
 *   VictoriaMetrics /api/v1/query_range, VictoriaMetrics export?format=promapi);
 * - 'array': `[ELEMENT,…]` (promtool query -o json, `jq .data.result`);
 * - 'sequence': `ELEMENT ELEMENT …`, usually one per line (VictoriaMetrics /api/v1/export).
 * Top-level scalar members of the envelope (status, error, errorType, resultType) and the
 * `warnings` array are reported through `onMeta`.
 */
export type JsonShape = 'envelope' | 'array' | 'sequence';

export interface JsonSplitHandlers {
  /** An element; `line` is the line where it starts (1-based). */
  onElement(value: unknown, line: number): void;
  onMeta?(key: string, value: unknown): void;
  /** An element that is not valid JSON (cut file, garbage between lines). */
  onBadElement?(line: number, message: string): void;
}

const MAX_ELEMENT_BYTES = 256 * 1024 * 1024;
const META_KEYS = new Set(['status', 'error', 'errorType', 'resultType', 'warnings', 'infos']);

/** JSON that cannot be followed any further; `line` is where (1-based). */
export class JsonSplitError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface SplitOptions {
  /**
   * Every element stands on a line of its own (VictoriaMetrics writes one series per line): a
   * line that ends inside an element, or holds text that is none, is one bad element, and the
   * next line is read afresh — damage stays on its line. Bare `NaN` and `Infinity` (written before
   * VictoriaMetrics 1.77) are read as `null` and `"Infinity"`.
   */
  lines?: boolean;
}

export async function splitJson(
  chunks: AsyncIterable<Buffer>,
  shape: JsonShape,
  h: JsonSplitHandlers,
  opts: SplitOptions = {},
): Promise<{ lines: number; elements: number; complete: boolean }> {
  const byLine = opts.lines === true;
  let junkLine = 0;
  let depth = 0;
  // kind of container per depth (1 object, 2 array) and the key being read at depths 1 and 2
  const kinds: number[] = [];
  const keys: string[] = ['', '', ''];
  let inString = false;
  let escaped = false;
  let expectKey = false;
  let keyParts: Buffer[] | null = null;
  let keyStart = -1;
  // element capture
  let capDepth = -1;
  let capParts: Buffer[] = [];
  let capStart = -1;
  let capBytes = 0;
  let capLine = 0;
  // meta capture (a scalar or array under a META key of the envelope)
  let metaKey: string | null = null;
  let targetDepth = shape === 'array' ? 1 : shape === 'sequence' ? 0 : -1;
  let line = 1;
  let elements = 0;

  const emit = (text: string, atLine: number) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const old = byLine ? oldNumbers(text) : undefined;
      try {
        if (old === undefined) throw e;
        value = JSON.parse(old);
      } catch {
        h.onBadElement?.(atLine, (e as Error).message);
        return;
      }
    }
    if (metaKey !== null) {
      h.onMeta?.(metaKey, value);
      metaKey = null;
    } else {
      elements++;
      h.onElement(value, atLine);
    }
  };
  const startCapture = (i: number) => {
    capDepth = depth;
    capParts = [];
    capStart = i;
    capBytes = 0;
    capLine = line;
  };
  const endCapture = (buf: Buffer, end: number) => {
    capParts.push(buf.subarray(capStart, end));
    const text =
      capParts.length === 1 ? capParts[0].toString('utf8') : Buffer.concat(capParts).toString('utf8');
    capDepth = -1;
    capParts = [];
    capStart = -1;
    emit(text, capLine);
  };

  for await (const buf of chunks) {
    const len = buf.length;
    if (capDepth >= 0) capStart = 0;
    for (let i = 0; i < len; i++) {
      const c = buf[i];
      if (c === 10) {
        line++;
        if (byLine && depth > 0) {
          h.onBadElement?.(capLine || line - 1, 'the line ends inside its entry: a line cut short?');
          depth = 0;
          inString = escaped = expectKey = false;
          keyParts = null;
          capDepth = capStart = -1;
          capParts = [];
          capLine = 0;
          continue;
        }
      }
      if (byLine && depth === 0 && c !== 123 && c !== 32 && c !== 9 && c !== 13 && c !== 10) {
        if (junkLine !== line) h.onBadElement?.(line, 'text that is no JSON entry');
        junkLine = line;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) {
          inString = false;
          if (keyParts) {
            keyParts.push(buf.subarray(keyStart, i));
            keys[depth] = Buffer.concat(keyParts).toString('utf8');
            keyParts = null;
          }
          // a string value under a meta key ends here
          if (capDepth >= 0 && metaKey !== null && depth === capDepth) endCapture(buf, i + 1);
        }
        continue;
      }
      switch (c) {
        case 34: // "
          inString = true;
          if (capDepth < 0 && expectKey && depth <= 2) {
            keyParts = [];
            keyStart = i + 1;
          } else if (capDepth < 0 && shape === 'envelope' && !expectKey && depth <= 2 && isMeta(depth)) {
            metaKey = keys[depth];
            startCapture(i);
          }
          expectKey = false;
          break;
        case 123: // {
        case 91: // [
          if (capDepth < 0) {
            if (depth === targetDepth && c === 123) startCapture(i);
            else if (shape === 'envelope' && !expectKey && depth <= 2 && isMeta(depth)) {
              metaKey = keys[depth];
              startCapture(i);
            }
          }
          depth++;
          kinds[depth] = c === 123 ? 1 : 2;
          expectKey = c === 123;
          if (
            shape === 'envelope' &&
            c === 91 &&
            depth === 3 &&
            kinds[1] === 1 &&
            kinds[2] === 1 &&
            keys[1] === 'data' &&
            keys[2] === 'result'
          )
            targetDepth = 3;
          break;
        case 125: // }
        case 93: // ]
          if (depth === targetDepth && c === 93 && shape === 'envelope') targetDepth = -1;
          depth--;
          if (depth < 0)
            throw new JsonSplitError(`an unbalanced "${String.fromCharCode(c)}" at line ${line}`, line);
          if (capDepth >= 0 && depth === capDepth) endCapture(buf, i + 1);
          expectKey = false;
          break;
        case 44: // ,
          if (kinds[depth] === 1 && capDepth < 0) expectKey = true;
          break;
        default:
          // a scalar (number, true, false, null) under a meta key: read to the next , } or ]
          if (
            capDepth < 0 &&
            shape === 'envelope' &&
            depth <= 2 &&
            !expectKey &&
            isMeta(depth) &&
            c !== 58 &&
            c !== 32 &&
            c !== 10 &&
            c !== 13 &&
            c !== 9
          ) {
            let j = i;
            while (j < len && buf[j] !== 44 && buf[j] !== 125 && buf[j] !== 93) j++;
            metaKey = keys[depth];
            emit(buf.toString('utf8', i, j).trim(), line);
            keys[depth] = '';
            i = j - 1;
          }
      }
    }
    if (capDepth >= 0) {
      capParts.push(buf.subarray(capStart));
      capBytes += len - capStart;
      if (capBytes > MAX_ELEMENT_BYTES)
        throw new JsonSplitError(`one entry starting at line ${capLine} is larger than 256 MiB`, capLine);
    }
    if (keyParts) {
      keyParts.push(buf.subarray(keyStart));
      keyStart = 0;
    }
  }
  if (capDepth >= 0 && capParts.length) {
    h.onBadElement?.(capLine, 'the input ends inside this entry (cut file?)');
  }
  return { lines: line, elements, complete: depth === 0 && !inString };

  function isMeta(d: number): boolean {
    if (kinds[d] !== 1) return false;
    const k = keys[d];
    // after the value starts the key is consumed; a key is only "current" right after its colon
    return META_KEYS.has(k) && (d === 1 || (d === 2 && keys[1] === 'data' && k === 'resultType'));
  }
}

/** `NaN`, `Infinity` and `-Infinity` as bare array items → `null`, `"Infinity"`, `"-Infinity"`. */
function oldNumbers(text: string): string | undefined {
  const out = text.replace(/([[,]\s*)(NaN|-?Infinity)(?=\s*[,\]])/g, (_, pre: string, w: string) =>
    w === 'NaN' ? `${pre}null` : `${pre}"${w}"`,
  );
  return out === text ? undefined : out;
}
