"""Extension objects, created bare here and initialised in :func:`app.create_app`."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from surveys.models import Base


def _no_client_key() -> str:
    """Rate-limit key that never uses the client's address.

    Limits are global per route by default; the survey routes use a key derived
    from the form session instead of the IP, so no address is ever kept.
    """
    return "global"


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
limiter = Limiter(key_func=_no_client_key, default_limits=[])
