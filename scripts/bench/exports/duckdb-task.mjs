// The DuckDB side of the benchmark: the same pivot-and-aggregate memlens does on import.
// Per container: pair usage with working set on the same timestamp, then max working set,
// max usage, mean(usage − working set) and max limit. DuckDB reads the file with its own CSV
// sniffer and all the threads it is allowed.
import { DuckDBInstance } from '@duckdb/node-api';

const [file] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const reader = await con.runAndReadAll(`
  WITH s AS (SELECT * FROM read_csv('${file.replace(/'/g, "''")}')),
  p AS (
    SELECT namespace, pod, container, "timestamp",
      max(value) FILTER (WHERE __name__ = 'container_memory_usage_bytes') AS usage,
      max(value) FILTER (WHERE __name__ = 'container_memory_working_set_bytes') AS ws,
      max(value) FILTER (WHERE __name__ = 'container_spec_memory_limit_bytes') AS lim
    FROM s GROUP BY ALL)
  SELECT namespace, pod, container, max(ws) AS max_ws, max(usage) AS max_usage,
         avg(usage - ws) AS mean_cache, max(lim) AS max_limit
  FROM p GROUP BY ALL ORDER BY ALL`);
const rows = reader.getRows();
process.stdout.write(`${rows.length} containers\n`);
