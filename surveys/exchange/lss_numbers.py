"""LimeSurvey's date, number and dual-scale questions in our types (used by the .lss import).

* ``D`` (Datum) becomes a date question; ``date_min``/``date_max`` become its earliest and
  latest day when they are dates (an expression such as ``{TODAY}`` is reported and left out).
* ``K`` (Mehrfache Zahleneingabe) becomes a multiple number entry, its subquestions the
  fields; ``min_num_value_n``/``max_num_value_n`` bound each number, ``num_value_int_only``
  makes them whole, ``min_num_value``/``max_num_value``/``equals_num_value`` check the sum.
* ``:`` (Array Zahlen) becomes a number matrix: subquestions of scale 0 are the rows, of
  scale 1 the columns; ``multiflexible_min``/``_max`` bound the cells. LimeSurvey shows
  drop-downs from 1 to 10 unless told otherwise; they become boxes with those bounds.
* ``1`` (Array mit zwei Skalen) becomes two matrices with the same rows, one per scale.

Each conversion is described for the import report ("Umgewandelt"), and every setting that
could not be taken is named ("Nicht übernommen").
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from surveys.designer_lists import slugify_key

Texts = Callable[[str | None, str], str]
_NUMBER = re.compile(r"^\s*-?[0-9]+(?:[.,][0-9]+)?\s*$")
#: LimeSurvey's drop-down range of an array of numbers without settings of its own.
DROPDOWN_RANGE = (1, 10)


def _number(raw: str | None) -> int | float | None:
    if raw is None or not _NUMBER.match(raw):
        return None
    number = float(raw.replace(",", "."))
    return int(number) if number.is_integer() else number


def _day(raw: str | None) -> date | None:
    """A LimeSurvey date attribute ("2020-01-01" or "2020-01-01 00:00") as a date."""
    text = (raw or "").strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _number_setting(
    attributes: Mapping[str, str],
    name: str,
    ours: str,
    settings: dict[str, Any],
    notes: list[str],
) -> None:
    raw = (attributes.get(name) or "").strip()
    if not raw:
        return
    number = _number(raw)
    if number is None:
        shown = raw if len(raw) <= 60 else raw[:59] + "…"
        notes.append(f"Einstellung {name} „{shown}“ ist keine Zahl, nicht übernommen")
        return
    settings[ours] = number


def number_types(
    qtype: str,
    data: dict[str, Any],
    items: list[dict[str, str]],
    subs: list[dict[str, str]],
    attributes: Mapping[str, str],
    text: Texts,
    where: str,
) -> tuple[list[str], list[str]]:
    """Fill ``data`` (our JSON question) from a ``D``, ``K`` or ``:`` question; return how it
    was converted and what was left out."""
    notes: list[str] = []
    if qtype == "D":
        settings: dict[str, Any] = {}
        for name, ours in (("date_min", "min_date"), ("date_max", "max_date")):
            raw = (attributes.get(name) or "").strip()
            if not raw:
                continue
            day = _day(raw)
            if day is None:
                notes.append(f"Datumsgrenze {name} „{raw[:60]}“ ist kein Datum, nicht übernommen")
            else:
                settings[ours] = day.isoformat()
        if settings.get("min_date", "") > settings.get("max_date", "9999"):
            notes.append("Datumsgrenzen vertauscht, nicht übernommen")
            settings = {}
        data.update(type="date", settings=settings)
        bounds = [
            f"{word} {date.fromisoformat(settings[name]).strftime('%d.%m.%Y')}"
            for word, name in (("frühestens", "min_date"), ("spätestens", "max_date"))
            if name in settings
        ]
        return [_converted("Datum", bounds)], notes
    keys: set[str] = set()
    data["items"] = [
        {"key": _item_key(i["code"] or "feld", keys), "text": i["text"]} for i in items
    ]
    settings = {"integer": (attributes.get("num_value_int_only") or "").strip() == "1"}
    if qtype == "K":
        for name, ours in (
            ("min_num_value_n", "min"),
            ("max_num_value_n", "max"),
            ("min_num_value", "sum_min"),
            ("max_num_value", "sum_max"),
            ("equals_num_value", "sum_equals"),
        ):
            _number_setting(attributes, name, ours, settings, notes)
        if "sum_equals" in settings:
            for bound in ("sum_min", "sum_max"):
                if settings.pop(bound, None) is not None:
                    notes.append("Grenze der Summe neben fester Summe nicht übernommen")
        data.update(type="multinumber", settings=settings)
        return [_converted("Mehrfache Zahleneingabe", _number_words(settings))], notes
    # ":" – rows are the subquestions of scale 0, columns those of scale 1.
    data["options"] = [
        {"code": (s.get("title") or "").strip(), "label": text(s.get("question"), where)}
        for s in subs
        if (s.get("scale_id") or "0") == "1"
    ]
    converted: list[str] = []
    if (attributes.get("multiflexible_checkbox") or "").strip() == "1":
        settings.update(integer=True, min=0, max=1)
        converted.append("Kontrollkästchen je Zelle als Zahlen 0 oder 1 übernommen")
    else:
        _number_setting(attributes, "multiflexible_min", "min", settings, notes)
        _number_setting(attributes, "multiflexible_max", "max", settings, notes)
        step = _number(attributes.get("multiflexible_step"))
        settings["integer"] = settings["integer"] or step is None or float(step).is_integer()
        if (attributes.get("input_boxes") or "").strip() != "1":
            settings.setdefault("min", DROPDOWN_RANGE[0])
            settings.setdefault("max", DROPDOWN_RANGE[1])
            converted.append(
                "Auswahllisten als Zahlenfelder übernommen "
                f"(von {settings['min']} bis {settings['max']})"
            )
    data.update(type="numbermatrix", settings=settings)
    size = f"{len(data['items'])} Zeilen × {len(data['options'])} Spalten"
    return [_converted("Zahlen-Matrix", [size, *_number_words(settings)]), *converted], notes


def _converted(type_name: str, details: list[str]) -> str:
    """ "als Datum übernommen (frühestens 01.01.2020)"."""
    return f"als {type_name} übernommen" + (f" ({', '.join(details)})" if details else "")


def _number_words(settings: Mapping[str, Any]) -> list[str]:
    words = ["ganze Zahlen"] if settings.get("integer") else []
    for name, word in (
        ("min", "jede Zahl mindestens"),
        ("max", "jede Zahl höchstens"),
        ("sum_equals", "Summe genau"),
        ("sum_min", "Summe mindestens"),
        ("sum_max", "Summe höchstens"),
    ):
        if settings.get(name) is not None:
            words.append(f"{word} {settings[name]}".replace(".", ","))
    return words


def _item_key(code: str, taken: set[str]) -> str:
    base = slugify_key(code, "i")
    base = base if base[0].isalpha() else f"i_{base}"
    key, n = base[:70], 2
    while key in taken:
        key, n = f"{base[:70]}_{n}", n + 1
    taken.add(key)
    return key


def dual_scale(
    first: dict[str, Any],
    second_scale: list[str],
    attributes: Mapping[str, str],
    text: Texts,
    where: str,
) -> list[dict[str, Any]]:
    """The two matrices of a dual-scale array: ``first`` (imported as an array with the
    answers of scale 0) and a copy with the answers of scale 1, each titled with the scale's
    header (``dualscale_headerA``/``B``) when there is one."""
    second = copy.deepcopy(first)
    second["settings"] = {**first["settings"], "scale": second_scale}
    second["condition"] = copy.deepcopy(first["condition"])
    pair = [first, second]
    key = first["key"]
    for number, (data, header) in enumerate(
        zip(pair, ("dualscale_headerA", "dualscale_headerB"), strict=True), start=1
    ):
        title = text(attributes.get(header), where)
        if title:
            data["text"] = f"{data['text']} – {title}"
        data["key"] = f"{key}_skala{number}"
    return pair
