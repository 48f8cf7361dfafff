# Sourced by the PostgreSQL test scripts: sets $url to TEST_DATABASE_URL or the local server on
# 127.0.0.1:5432 and checks that it answers. With CI=true a missing PostgreSQL is an error
# (exit 1), otherwise the calling run is skipped (exit 0) with a line naming $1.
url="${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
if ! .venv/bin/python scripts/pg_ready.py "$url"; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is required in CI but does not answer at $url" >&2
    exit 1
  fi
  echo "== PostgreSQL not reachable at $url – skipping $1 (set TEST_DATABASE_URL) =="
  exit 0
fi
