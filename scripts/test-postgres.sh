#!/usr/bin/env bash
# Runs the test suite (without the browser tests, which ran on SQLite) against PostgreSQL.
# Uses TEST_DATABASE_URL or the local server on 127.0.0.1:5432; each run creates and drops
# its own database there. With CI=true a missing PostgreSQL is an error, otherwise a skip.
set -uo pipefail
url="${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
if ! .venv/bin/python scripts/pg_ready.py "$url"; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is required in CI but does not answer at $url" >&2
    exit 1
  fi
  echo "== PostgreSQL not reachable at $url – skipping the PostgreSQL run (set TEST_DATABASE_URL) =="
  exit 0
fi
echo "== pytest on PostgreSQL =="
TEST_DATABASE_URL="$url" bash scripts/pytest.sh -m "not browser and not production"
