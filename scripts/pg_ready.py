"""Exit 0 when the PostgreSQL server of the given URL accepts a connection, else 1."""

import sys

from sqlalchemy import create_engine, text

try:
    engine = create_engine(sys.argv[1], connect_args={"connect_timeout": 3})
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL not ready: {exc.__class__.__name__}", file=sys.stderr)
    sys.exit(1)
