"""Turning imported HTML fragments (LimeSurvey texts) into plain, harmless text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_DROP_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "svg", "math"}
_BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}


class _TextExtractor(HTMLParser):
    """Collects text outside of script-like elements; records what it dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.dropped: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self.depth += 1
            self.dropped.add(tag)
        elif tag in _BREAKS:
            self.parts.append("\n")
        if any(name.startswith("on") for name, _ in attrs):
            self.dropped.add("on*")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT and self.depth:
            self.depth -= 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def clean_text(fragment: str | None, _depth: int = 0) -> tuple[str, set[str]]:
    """Return the plain text of an HTML fragment and the names of dropped active content.

    Tags are removed (their text kept), script/style/iframe content is dropped entirely,
    entities are decoded, whitespace is normalised; the result is escaped again on output.
    """
    if not fragment:
        return "", set()
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    text = html.unescape("".join(parser.parts))
    if "javascript:" in text.lower():
        parser.dropped.add("javascript:")
        text = re.sub(r"(?i)javascript:", "", text)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    cleaned = "\n".join(line for line in lines if line)
    if _depth < 2 and re.search(r"<[a-zA-Z/!]", cleaned):
        # entity-encoded markup ("&lt;script&gt;") decodes to tags: strip those too
        again, dropped = clean_text(cleaned, _depth + 1)
        return again, parser.dropped | dropped
    return cleaned, parser.dropped
