"""Time the moderators' dashboard on the demo database (``make demo`` first).

First view of the overview (computes the analysis) and of each Handlungsfeld page (analysis
cached, figures not yet rendered), then the figures the field pages link to. Uses the Flask
test client in one process, so the per-process caches start empty::

    make bench-dashboard

The last line reads ``RESULT overview_first_s=<s> field_first_max_s=<s>
field_vs_cached_page=<ratio> figures=<n> mappe_pdf_s=<s> mappe_layout_s=<s>``: the slowest
first view of a field page against the cached overview measured in the same run (a page that
only renders its template), the Workshop-Mappe PDF from a fresh app (analysis, figures and
PDF, rendered in this process even when ``REDIS_URL`` is set), and the same Mappe again (only
its layout: analysis and figures are cached).
"""

from __future__ import annotations

import re
import time

from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier
from sqlalchemy import select

from app import create_app
from app.extensions import db
from demo.content import CURRENT
from surveys.models import Handlungsfeld, User

IMG_RE = re.compile(r'<img src="(/workshop/[^"]+\.png[^"]*)"')


def logged_in_client(app: Flask, user_id: str) -> FlaskClient:
    """A test client of ``app`` with the moderator's session."""
    client = app.test_client()
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session.update({"_user_id": user_id, "_fresh": True, "_id": identifier})
    return client


def main() -> None:
    app = create_app()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "moderator@example.org"))
        assert user is not None, "run `make demo` first"
        fields = list(db.session.scalars(select(Handlungsfeld.key).order_by(Handlungsfeld.id)))
        user_id = user.get_id()
    client = logged_in_client(app, user_id)

    def timed(url: str) -> tuple[float, str, int]:
        start = time.perf_counter()
        response = client.get(url.replace("&amp;", "&"))
        seconds = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        data = response.get_data()
        text = data.decode() if response.mimetype == "text/html" else ""
        return seconds, text, len(data)

    base = f"/workshop/{CURRENT.slug}/dashboard"
    seconds, _html, size = timed(base)
    first_overview = seconds
    print(f"{'overview (first, analysis)':42s} {seconds:6.3f} s  {size / 1024:7.0f} KiB")
    seconds, _html, size = timed(base)
    warm_overview = seconds
    print(f"{'overview (again)':42s} {seconds:6.3f} s  {size / 1024:7.0f} KiB")
    figures: list[str] = []
    total = slowest = 0.0
    for key in fields:
        seconds, html, size = timed(f"{base}/feld/{key}")
        total += seconds
        slowest = max(slowest, seconds)
        urls = IMG_RE.findall(html)
        figures += urls
        print(f"{'field ' + key + ' (first)':42s} {seconds:6.3f} s  {size / 1024:7.0f} KiB")
    print(f"{'six field pages, sum':42s} {total:6.3f} s")
    if figures:
        start = time.perf_counter()
        for url in figures:
            timed(url)
        seconds = time.perf_counter() - start
        print(f"{f'{len(figures)} figures (first, sequential)':42s} {seconds:6.3f} s")
        start = time.perf_counter()
        for url in figures:
            timed(url)
        seconds = time.perf_counter() - start
        print(f"{f'{len(figures)} figures (cached)':42s} {seconds:6.3f} s")
    # The Workshop-Mappe as a moderator gets it from a fresh process: a new app has empty
    # caches, so this is the analysis, every figure and the PDF.
    # Rendered in this process (no job queue), so the time is the Mappe's own.
    cold = logged_in_client(create_app({"REDIS_URL": ""}), user_id)
    start = time.perf_counter()
    pdf = cold.get(f"/workshop/{CURRENT.slug}/mappe.pdf")
    mappe = time.perf_counter() - start
    assert pdf.status_code == 200, pdf.status_code
    print(f"{'Workshop-Mappe PDF (cold)':42s} {mappe:6.3f} s  {len(pdf.data) / 1024:7.0f} KiB")
    # Again from the same app: analysis and charts cached, so this is the layout (WeasyPrint).
    start = time.perf_counter()
    again = cold.get(f"/workshop/{CURRENT.slug}/mappe.pdf")
    layout = time.perf_counter() - start
    assert again.status_code == 200, again.status_code
    print(f"{'Workshop-Mappe PDF (again: layout only)':42s} {layout:6.3f} s")
    # Baseline of the same run: the cached overview, a page that only renders a template.
    print(
        f"RESULT overview_first_s={first_overview:.2f} field_first_max_s={slowest:.2f} "
        f"field_vs_cached_page={slowest / warm_overview:.1f} figures={len(figures)} "
        f"mappe_pdf_s={mappe:.1f} mappe_layout_s={layout:.1f}"
    )


if __name__ == "__main__":
    main()
