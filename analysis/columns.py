"""Column names and codes shared by every analysis table."""

from __future__ import annotations

# Column names of the tidy frames.
RESPONSE = "response"
GROUP = "group"
CHANNEL = "channel"
LANGUAGE = "language"
FIELD = "field"
QUESTION = "question"
ITEM = "item"
OPTION = "option"
VALUE = "value"
DONT_KNOW = "dont_know"
TEXT = "text"
KIND = "kind"
ROLE = "role"
#: The group key of "all responses" rows in every table.
TOTAL = "total"
#: Category standing for "no item", "no option" or "no Handlungsfeld".
NONE = ""
