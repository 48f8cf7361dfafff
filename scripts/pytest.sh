#!/usr/bin/env bash
# Runs pytest with the given arguments, on as many worker processes as the machine has cores
# (pytest-xdist; PYTEST_WORKERS=0 runs in this process, e.g. for a debugger). Tests of one file
# stay on one worker, so module and session fixtures (a browser, the seeded demo) are made once
# per worker; the files sharing the seeded demo count as one file, and the slowest files of the
# last run start first (tests/scheduling.py). Exit code 5 (no tests collected) is
# reported, not fatal, so that a subset that happens to be empty does not fail the build.
set -uo pipefail
workers="${PYTEST_WORKERS:-auto}"
if [ "$workers" = "0" ]; then
  .venv/bin/python -m pytest "$@"
else
  .venv/bin/python -m pytest -n "$workers" --dist loadfile --no-loadscope-reorder "$@"
fi
rc=$?
if [ $rc -eq 5 ]; then
  echo "pytest: no tests were collected for: $*" >&2
  exit 0
fi
exit $rc
