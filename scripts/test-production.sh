#!/usr/bin/env bash
# Runs tests/production: nginx (TLS) → 2 gunicorn nodes in production mode → a throw-away
# PostgreSQL database and a private redis-server, all started and stopped by the tests.
set -uo pipefail
url="${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
if ! .venv/bin/python scripts/pg_ready.py "$url"; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is required in CI but does not answer at $url" >&2
    exit 1
  fi
  echo "== PostgreSQL not reachable at $url – skipping the production-stack run =="
  exit 0
fi
echo "== pytest through the production stack (nginx TLS, gunicorn ×2, PostgreSQL, Redis) =="
TEST_DATABASE_URL="$url" bash scripts/pytest.sh -m production tests/production
