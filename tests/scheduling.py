"""Which tests need a database, and how the suite is spread over the pytest-xdist workers.

* A test whose fixtures reach ``fresh_database`` is marked ``database``. Every database
  fixture is made from it (``engine``, ``session``, ``app_database``, ``app``, ``client``,
  ``wapp``, ``demo_world``, ``live_app`` …), so the mark follows the fixture closure and no
  hand list can forget a test. ``scripts/test-postgres.sh`` runs only these tests on
  PostgreSQL: the others (DataFrames, catalogues, templates, pure functions) would do exactly
  the same thing a second time. A ``postgres_only`` test without a database is an error.
* ``scripts/pytest.sh`` distributes with ``--dist loadfile``: the tests of a file stay on one
  worker, so module fixtures are made once. Here the files using the shared demo
  (``demo_world``) count as one file, so the demo is seeded and its Workshop-Mappe rendered on
  one worker only. (xdist's own ``loadgroup`` cannot do this under pytest 9: it renames the
  tests through an attribute pytest no longer reads.) The workers, which know the fixtures,
  write this grouping to a file the controller's scheduler reads.
* The groups are handed out longest first, by the durations of the last run on the same
  database (pytest's cache, ``.pytest_cache``), so that a slow file does not start last while
  the other worker idles (``--no-loadscope-reorder`` keeps this order). A group not timed
  yet (a new file, or no cache) is estimated from its number of tests.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

DATABASE_ROOT = "fresh_database"
DEMO_ROOT = "demo_world"
DEMO_GROUP = "demo"
GROUPS_KEY = "familienkompass_groups_file"


def _cache_key() -> str:
    backend = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    return f"familienkompass/group-durations-{backend}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "database: set automatically on tests whose fixtures use a test database "
        "(tests/scheduling.py)",
    )


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(tryfirst=True)  # before -m selects by the marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    demo_files = {_file_of(item.nodeid) for item in items if DEMO_ROOT in item.fixturenames}
    for item in items:
        if DATABASE_ROOT in item.fixturenames:
            item.add_marker(pytest.mark.database)
        elif item.get_closest_marker("postgres_only"):
            raise pytest.UsageError(f"{item.nodeid} is postgres_only but uses no test database")

    def group(item: pytest.Item) -> str:
        path = _file_of(item.nodeid)
        return DEMO_GROUP if path in demo_files else path

    groups_file = getattr(config, "workerinput", {}).get(GROUPS_KEY)
    if groups_file:  # every worker writes the same grouping; os.replace keeps the file whole
        partial = f"{groups_file}.{os.getpid()}"
        Path(partial).write_text(json.dumps(dict.fromkeys(sorted(demo_files), DEMO_GROUP)))
        os.replace(partial, groups_file)
    cache = getattr(config, "cache", None)
    durations: dict[str, float] = cache.get(_cache_key(), {}) if cache else {}
    sizes = Counter(group(item) for item in items)
    timed = [name for name in sizes if name in durations]
    # a group not timed yet counts as its tests times the mean time of a timed test
    per_test = sum(durations[name] for name in timed) / max(1, sum(sizes[n] for n in timed))
    estimate = {name: durations.get(name, sizes[name] * (per_test or 1.0)) for name in sizes}
    items.sort(key=lambda item: -estimate[group(item)])


class _Groups:
    """The controller's view of the grouping the workers wrote (read once it exists)."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="pytest-groups-")) / "groups.json"
        self.known: dict[str, str] | None = None

    def of(self, nodeid: str) -> str:
        if self.known is None and self.path.exists():
            self.known = json.loads(self.path.read_text())
        path = _file_of(nodeid)
        return (self.known or {}).get(path, path)


_groups: _Groups | None = None
_timed: Counter[str] = Counter()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each worker where to write the grouping (controller side)."""
    global _groups
    if _groups is None:
        _groups = _Groups()
    node.workerinput[GROUPS_KEY] = str(_groups.path)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile`` with the demo files as one file."""
    if config.getvalue("dist") != "loadfile" or _groups is None:
        return None
    from xdist.scheduler import LoadFileScheduling

    groups = _groups

    class GroupedFileScheduling(LoadFileScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return groups.of(nodeid)

    return GroupedFileScheduling(config, log)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up the time of each group (on the controller, from the workers' reports)."""
    if _groups is not None:
        _timed[_groups.of(report.nodeid)] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return
    if _groups is not None:
        shutil.rmtree(_groups.path.parent, ignore_errors=True)
    cache = getattr(session.config, "cache", None)
    if cache is None or not _timed:
        return
    durations = cache.get(_cache_key(), {})
    durations.update({group: round(seconds, 2) for group, seconds in _timed.items()})
    cache.set(_cache_key(), durations)
