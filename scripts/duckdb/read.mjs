// read.mjs: read a Parquet file written by listetak (results.WriteParquet)
// with DuckDB, an independent reader, and print what it sees as JSON lines on
// stdout, one object per line, each with a "kind":
//
//   schema    column names and DuckDB types, in file order
//   metadata  per column: compression codecs and encodings used by its chunks
//   total     count(*) and sum(value) over the whole file
//   group     per (scenario, design_point): row count, distinct metrics,
//             replication and year ranges, NaN, NULL and infinity counts, and
//             sum / min / max of the finite values; "fold" is the finite
//             values added left to right in file order (list_reduce), which
//             a writer can reproduce exactly whatever the values
//   row       rows ordered by scenario, design_point, replication, year,
//             metric (byte order): the first N (--rows N, default 10) or
//             all (--rows all)
//   copy      with --copy-to OUT: DuckDB wrote the rows, in file order, to a
//             Parquet file of its own at OUT (for the reverse check)
//
// Every double is printed twice: "x" as JavaScript's String(x) (shortest
// round-trip text, or NaN, Infinity, -Infinity; -0 as "-0") and "x_bits" as
// the 16 hex digits of its IEEE 754 bits, so a comparison can be exact.
// Counts are plain JSON numbers (they stay far below 2^53).
//
// Usage: node read.mjs FILE.parquet [--rows N|all] [--copy-to OUT.parquet]

import { DuckDBInstance } from '@duckdb/node-api';

function usage(msg) {
  process.stderr.write(`read.mjs: ${msg}\nusage: node read.mjs FILE.parquet [--rows N|all] [--copy-to OUT.parquet]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let file = null;
let rowLimit = 10;
let copyTo = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--rows') {
    const v = args[++i];
    if (v === 'all') rowLimit = -1;
    else if (/^\d+$/.test(v ?? '')) rowLimit = Number(v);
    else usage(`--rows needs a count or "all", got ${v}`);
  } else if (a === '--copy-to') {
    copyTo = args[++i];
    if (!copyTo) usage('--copy-to needs a path');
  } else if (a.startsWith('--')) {
    usage(`unknown flag ${a}`);
  } else if (file === null) {
    file = a;
  } else {
    usage(`more than one file: ${file}, ${a}`);
  }
}
if (file === null) usage('no file');

const bitsView = new DataView(new ArrayBuffer(8));

// bits returns the IEEE 754 bits of a double as 16 hex digits.
function bits(x) {
  bitsView.setFloat64(0, x);
  return bitsView.getBigUint64(0).toString(16).padStart(16, '0');
}

// num returns a JSON-safe text for a double: String(x), with -0 kept.
function num(x) {
  if (x === null || x === undefined) return null;
  return Object.is(x, -0) ? '-0' : String(x);
}

// plain converts a DuckDB JS value for JSON: bigints (BIGINT, HUGEINT counts)
// become numbers when exact, strings otherwise.
function plain(v) {
  if (typeof v === 'bigint') {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  return v;
}

// lit quotes a string as an SQL literal.
function lit(s) {
  return `'${String(s).replaceAll("'", "''")}'`;
}

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
// One thread: the same plan, and so the same floating-point order of any
// aggregate, on every run.
await conn.run('SET threads = 1');

async function query(sql) {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJS();
}

const src = `read_parquet(${lit(file)}, file_row_number = true)`;

// Schema as DuckDB sees it (file_row_number is DuckDB's, not the file's).
const desc = await query(`DESCRIBE SELECT * EXCLUDE (file_row_number) FROM ${src}`);
emit({ kind: 'schema', columns: desc.map((r) => ({ name: r.column_name, type: r.column_type })) });

// Codecs and encodings per column, over all row groups.
const meta = await query(`
  SELECT path_in_schema AS col,
         list_sort(list_distinct(list(compression))) AS compression,
         list_sort(list_distinct(flatten(list(string_split(encodings, ', '))))) AS encodings,
         min(column_id) AS id
  FROM parquet_metadata(${lit(file)})
  GROUP BY path_in_schema ORDER BY id`);
emit({
  kind: 'metadata',
  columns: meta.map((r) => ({ name: r.col, compression: r.compression, encodings: r.encodings })),
});

const [tot] = await query(`SELECT count(*) AS n, sum(value) AS s FROM ${src}`);
emit({ kind: 'total', count: plain(tot.n), sum: num(tot.s), sum_bits: tot.s === null ? null : bits(tot.s) });

const groups = await query(`
  SELECT scenario, design_point,
         count(*) AS n,
         count(DISTINCT metric) AS metrics,
         min(replication) AS rep_min, max(replication) AS rep_max,
         min(year) AS year_min, max(year) AS year_max,
         count(*) FILTER (WHERE isnan(value)) AS nan,
         count(*) FILTER (WHERE value IS NULL) AS nulls,
         count(*) FILTER (WHERE value = 'Infinity'::DOUBLE) AS pos_inf,
         count(*) FILTER (WHERE value = '-Infinity'::DOUBLE) AS neg_inf,
         sum(value) FILTER (WHERE isfinite(value)) AS sum,
         min(value) FILTER (WHERE isfinite(value)) AS min,
         max(value) FILTER (WHERE isfinite(value)) AS max,
         list_reduce(list(value ORDER BY file_row_number) FILTER (WHERE isfinite(value)), (a, b) -> a + b) AS fold
  FROM ${src}
  GROUP BY scenario, design_point
  ORDER BY scenario, design_point`);
for (const g of groups) {
  const out = { kind: 'group' };
  for (const [k, v] of Object.entries(g)) {
    if (k === 'sum' || k === 'min' || k === 'max' || k === 'fold') {
      out[k] = num(v);
      out[`${k}_bits`] = v === null ? null : bits(v);
    } else {
      out[k] = plain(v);
    }
  }
  emit(out);
}

const limit = rowLimit < 0 ? '' : `LIMIT ${rowLimit}`;
const rows = await query(`
  SELECT scenario, design_point, replication, year, metric, value
  FROM ${src}
  ORDER BY scenario, design_point, replication, year, metric ${limit}`);
for (const r of rows) {
  emit({
    kind: 'row',
    scenario: r.scenario,
    design_point: r.design_point,
    replication: r.replication,
    year: r.year,
    metric: r.metric,
    value: num(r.value),
    value_bits: r.value === null ? null : bits(r.value),
  });
}

if (copyTo !== null) {
  await conn.run(`
    COPY (SELECT scenario, design_point, replication, year, metric, value
          FROM ${src} ORDER BY file_row_number)
    TO ${lit(copyTo)} (FORMAT parquet)`);
  emit({ kind: 'copy', path: copyTo });
}

conn.closeSync();
instance.closeSync();
