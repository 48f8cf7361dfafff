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


def _closing_brace(text: str, start: int) -> int:
    """Return the index of the ``}`` closing the ``{`` at ``start`` (quotes respected), or -1."""
    depth, quote, i = 0, "", start
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def strip_expressions(text: str) -> tuple[str, list[str]]:
    """Remove LimeSurvey ExpressionScript (``{count(...)}``, ``{Q1.shown}``) from plain text.

    As in LimeSurvey, braces count as an expression only without whitespace right inside
    them (``{ x }`` and ``{}`` stay text). Returns the text and the removed expressions.
    """
    if "{" not in text:
        return text, []
    out: list[str] = []
    removed: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        end = _closing_brace(text, i) if char == "{" else -1
        if char == "{" and end < 0:
            out.append(text[i:])  # unbalanced from here on: keep the rest as it is
            break
        if end > i + 1 and not text[i + 1].isspace() and not text[end - 1].isspace():
            removed.append(text[i : end + 1])
            i = end + 1
            continue
        out.append(char)
        i += 1
    if not removed:
        return text, []
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in "".join(out).splitlines()]
    cleaned = "\n".join(line for line in lines if line)
    cleaned = re.sub(r"\s+([.,;:!?])", r"\1", cleaned)
    return cleaned, removed
