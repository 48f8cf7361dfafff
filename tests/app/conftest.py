"""Fixtures of the HTTP-layer tests, shared by every module here (no per-module imports).

``fresh_cache`` is autouse: tables are emptied after each test and ids repeat, so no test may
see a cached analysis of another.
"""

from tests.app.citizen_flow import app_with_fixture, survey_fixture  # noqa: F401
from tests.app.dashboard_support import fresh_cache  # noqa: F401
from tests.app.workshop_support import wapp  # noqa: F401
from tests.app_fixtures import app, app_database, client  # noqa: F401
