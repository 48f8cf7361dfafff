"""The HTTP-layer tests use the fixtures registered in ``tests/conftest.py``.

Each test gets its own app (``app``/``wapp``), and with it an empty analysis cache, on a
database emptied after the test; ``demo`` is the shared read-only seeded demo of
``tests/app/demo_world.py``.
"""
