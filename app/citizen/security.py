"""Anti-abuse for survey routes: friendly CSRF errors and no caching of answer pages.

The rate-limit key (an HMAC of the address, never the address) is
:func:`app.common.ratelimit.client_bucket`, shared with the staff login.
"""

from __future__ import annotations

from typing import cast

from flask import Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError

from app.citizen import bp
from app.errors import MESSAGES

#: Marks a request whose CSRF check failed (kept on the request, never on ``g``, which an
#: outer app context may share between requests).
CSRF_FAILED = "familienkompass.csrf_failed"


def csrf_failed() -> bool:
    """Return whether the current request is re-run after a failed CSRF check."""
    return bool(request.environ.get(CSRF_FAILED))


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> ResponseReturnValue:
    """On survey pages re-run the view in "token expired" mode: it re-renders the posted
    answers with a friendly message and stores nothing. Elsewhere show the 400 page."""
    endpoint = request.endpoint or ""
    if request.blueprint == "citizen" and endpoint in current_app.view_functions:
        request.environ[CSRF_FAILED] = True
        view = current_app.view_functions[endpoint]
        return cast(ResponseReturnValue, view(**(request.view_args or {})))
    title, text = MESSAGES[400]
    return render_template("error.html", code=400, title=title, text=text), 400


#: Citizen pages the browser may keep: they show nobody's answers.
CACHEABLE = {"citizen.paper"}


@bp.after_request
def no_store(response: Response) -> Response:
    """Let no browser keep a questionnaire page (``Cache-Control: no-store``).

    The pages show the person's answers, which must not come back from the cache of a
    shared device; and the browser's Back button then asks the server again, which knows
    (from the session) that the answers were sent and says so instead of an old form.
    """
    if request.endpoint not in CACHEABLE:
        response.headers.setdefault("Cache-Control", "no-store")
    return response
