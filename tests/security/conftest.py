"""Fixtures of the attack suite: a seeded app (citizen survey, workshop agreement, accounts)."""

from tests.app.citizen_flow import app_with_fixture  # noqa: F401
from tests.app_fixtures import app, app_database, client  # noqa: F401
from tests.security.world import world_fixture  # noqa: F401
