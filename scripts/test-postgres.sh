#!/usr/bin/env bash
# Runs the tests that use a database (marked ``database`` from their fixtures by
# tests/scheduling.py) against PostgreSQL, without the browser tests, which ran on SQLite; the
# other tests do the same on any database and ran in the SQLite run.
# Uses TEST_DATABASE_URL or the local server on 127.0.0.1:5432; each run creates and drops
# its own database there. With CI=true a missing PostgreSQL is an error, otherwise a skip.
set -uo pipefail
source scripts/postgres-url.sh "the PostgreSQL run"
echo "== pytest on PostgreSQL =="
TEST_DATABASE_URL="$url" bash scripts/pytest.sh -m "database and not browser and not production" "$@"
