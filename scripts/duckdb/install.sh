#!/bin/sh
# Install the DuckDB reader's dependencies (@duckdb/node-api, which ships its
# own DuckDB binary for the platform) into scripts/duckdb/node_modules, at the
# versions in package-lock.json. Needs node and npm. The Go test
# TestParquetDuckDB in results/ runs read.mjs once they are there; with
# LISTETAK_DUCKDB=1 it calls this script itself.
set -eu
cd "$(dirname "$0")"
npm install --no-audit --no-fund
