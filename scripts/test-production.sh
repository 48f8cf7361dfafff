#!/usr/bin/env bash
# Runs tests/production: nginx (TLS) → 2 gunicorn nodes in production mode → a throw-away
# PostgreSQL database and a private redis-server, all started and stopped by the tests.
set -uo pipefail
source scripts/postgres-url.sh "the production-stack run"
echo "== pytest through the production stack (nginx TLS, gunicorn ×2, PostgreSQL, Redis) =="
TEST_DATABASE_URL="$url" bash scripts/pytest.sh -m production tests/production
