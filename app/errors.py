"""German error pages; no stack trace ever reaches the browser."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("Ungültige Anfrage"), _l("Die Anfrage konnte nicht verarbeitet werden.")),
    403: (_l("Kein Zugriff"), _l("Für diese Seite fehlt Ihnen die Berechtigung.")),
    404: (
        _l("Seite nicht gefunden"),
        _l("Diese Seite gibt es nicht (mehr). Bitte prüfen Sie die Adresse."),
    ),
    405: (_l("Nicht erlaubt"), _l("Diese Aktion ist hier nicht möglich.")),
    410: (_l("Nicht mehr verfügbar"), _l("Dieser Inhalt ist nicht mehr verfügbar.")),
    413: (_l("Zu viele Daten"), _l("Die gesendeten Daten sind zu groß.")),
    429: (
        _l("Zu viele Anfragen"),
        _l("Bitte warten Sie einen Moment und versuchen Sie es dann erneut."),
    ),
    500: (
        _l("Interner Fehler"),
        _l("Etwas ist schiefgegangen. Ihre gespeicherten Angaben sind nicht verloren."),
    ),
}


def register(app: Flask) -> None:
    """Render every HTTP error with the site layout.

    Unhandled exceptions become an ``InternalServerError`` (outside debug and testing),
    so the same handler renders them without a stack trace.
    """

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        title, text = MESSAGES.get(code, (error.name, error.description or ""))
        return render_template("error.html", code=code, title=title, text=text), code
