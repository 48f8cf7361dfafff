"""German labels for the codes and column names of analysis tables (exports, handouts).

Tables keep codes (``familien``, ``focus``, ``score``); presentation layers call
:func:`labelled` or look codes up here, so numbers and wording stay separate.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.frames import FIELD, GROUP, NONE, QUESTION, TOTAL, SurveyMeta

COLUMN_LABELS: dict[str, str] = {
    "field": "Handlungsfeld",
    "role": "Rolle",
    "question": "Frage",
    "item": "Aussage",
    "option": "Antwort",
    "group": "Zielgruppe",
    "language": "Sprache",
    "group_a": "Zielgruppe A",
    "group_b": "Zielgruppe B",
    "groups": "Zielgruppen",
    "answered": "Beantwortet (ohne „weiß nicht“)",
    "shown": "Gefragt (Frage gestellt)",
    "skipped": "Übersprungen",
    "dont_know": "Weiß nicht",
    "answered_share": "Anteil beantwortet",
    "skipped_share": "Anteil übersprungen",
    "count_dk": "Anzahl weiß nicht",
    "n": "n (gültig)",
    "n_a": "n A",
    "n_b": "n B",
    "n_then": "n Basis",
    "n_now": "n aktuell",
    "dont_know_share": "Anteil weiß nicht",
    "mean": "Mittelwert",
    "median": "Median",
    "sd": "Standardabweichung",
    "ci_low": "95-%-KI untere Grenze",
    "ci_high": "95-%-KI obere Grenze",
    "top2_share": "Top-2-Anteil",
    "score": "Wert (0–100)",
    "index": "Index (0–100)",
    "count": "Anzahl",
    "respondents": "Befragte",
    "share": "Anteil",
    "ranked": "Anzahl gerankt",
    "top3": "Anzahl Platz 1–3",
    "mean_rank": "Mittlerer Rang",
    "borda": "Borda-Punkte je Befragte*r",
    "top3_share": "Anteil Platz 1–3",
    "ranked_share": "Anteil gerankt",
    "kind": "Art",
    "rank": "Rang",
    "importance": "Wichtigkeit (0–100)",
    "satisfaction": "Zufriedenheit (0–100)",
    "gap": "Lücke Wichtigkeit − Zufriedenheit",
    "quadrant": "Quadrant",
    "score_a": "Wert A (0–100)",
    "score_b": "Wert B (0–100)",
    "difference": "Differenz A − B",
    "score_then": "Wert Basis (0–100)",
    "score_now": "Wert aktuell (0–100)",
    "index_then": "Index Basis, gemeinsame Aussagen (0–100)",
    "index_now": "Index aktuell, gemeinsame Aussagen (0–100)",
    "items_shared": "Gemeinsame Aussagen",
    "cohen_d": "Cohens d",
    "side": "Enthalten in",
    "reversed": "Umgepolt",
    "change": "Veränderung",
    "test": "Test",
    "statistic": "Teststatistik",
    "dof": "Freiheitsgrade",
    "p": "p-Wert",
    "p_adjusted": "p-Wert (korrigiert)",
    "effect": "Effektstärke",
    "magnitude": "Effekt",
    "significant": "Signifikant",
    "suppressed": "Unterdrückt (zu wenige Antworten)",
    "word": "Wort",
    "bigram": "Wortpaar",
    "comments": "Kommentare",
    "category": "Kategorie",
    "text": "Text",
    "breakdown": "Auswertungsmerkmal",
    "wording": "Wortlaut",
    "online": "Online",
    "paper": "Papier",
    "midpoint": "Gegenüber der Skalenmitte 50 (95-%-KI)",
    "score_ci_low": "Wert 95-%-KI untere Grenze",
    "score_ci_high": "Wert 95-%-KI obere Grenze",
    "value": "Antwort",
}

VALUE_LABELS: dict[str, str] = {
    TOTAL: "Alle Befragten",
    "de": "Deutsch",
    "de-LS": "Leichte Sprache",
    "en": "Englisch",
    "tr": "Türkisch",
    "ar": "Arabisch",
    NONE: "–",
    "strength": "am besten bewertet (im Handlungsfeld)",
    "weakness": "am schlechtesten bewertet (im Handlungsfeld)",
    "above": "über der Skalenmitte",
    "below": "unter der Skalenmitte",
    "around": "nicht von der Skalenmitte unterscheidbar",
    "focus": "Hier ansetzen (wichtig, wenig zufrieden)",
    "keep": "Gute Arbeit fortsetzen (wichtig, zufrieden)",
    "overkill": "Zufrieden, aber weniger wichtig (Aufwand prüfen)",
    "low_priority": "Geringe Priorität (weniger wichtig, wenig zufrieden)",
    "negligible": "vernachlässigbar",
    "small": "klein",
    "medium": "mittel",
    "large": "groß",
    "mann_whitney": "Mann-Whitney-U",
    "chi_square": "Chi-Quadrat",
    "welch_t": "Welch-t-Test",
    "satisfaction": "Zufriedenheit",
    "importance": "Wichtigkeit",
    "priority": "Priorität",
    "comment": "Kommentar",
    "only_then": "nur Basis-Befragung",
    "only_now": "nur aktuelle Befragung",
    "ja": "Ja",
    "nein": "Nein",
}
_POINT = re.compile(r"^(count|share)_(\d+)$")
CODE_COLUMNS = (
    "kind",
    "quadrant",
    "magnitude",
    "test",
    "role",
    "language",
    "side",
    "midpoint",
)


def column_label(name: str) -> str:
    """Return the German header of a column (``count_3`` -> "Anzahl Stufe 3")."""
    match = _POINT.match(name)
    if match:
        return f"{'Anzahl' if match[1] == 'count' else 'Anteil'} Stufe {match[2]}"
    if name in COLUMN_LABELS:
        return COLUMN_LABELS[name]
    return VALUE_LABELS.get(name, name)  # e.g. a language code as a column: "Türkisch"


def labelled(table: pd.DataFrame, meta: SurveyMeta) -> pd.DataFrame:
    """Return a copy with German headers and German labels for group, field and codes."""
    out = table.copy()
    if "breakdown" in out.columns and "value" in out.columns:
        out = _breakdown_labels(out, meta)
    if QUESTION in out.columns and "text" not in out.columns:
        after = "item" if "item" in out.columns else QUESTION
        out.insert(list(out.columns).index(after) + 1, "wording", _wordings(out, meta))
    groups = {**meta.groups["label"].to_dict(), TOTAL: VALUE_LABELS[TOTAL]}
    fields = {k: f"{r.number}. {r.title}" for k, r in meta.fields.iterrows()}
    for column in out.columns:
        if column in (GROUP, "group_a", "group_b"):
            out[column] = out[column].astype(str).map(lambda v: groups.get(v, v))
        elif column == FIELD:
            out[column] = out[column].astype(str).map(lambda v: fields.get(v, v or "–"))
        elif column in CODE_COLUMNS:
            out[column] = out[column].astype(str).map(lambda v: VALUE_LABELS.get(v, v))
        elif out[column].dtype == bool:
            out[column] = out[column].map({True: "ja", False: "nein"})
    return out.rename(columns=column_label)


def option_labels(meta: SurveyMeta) -> dict[tuple[str, str], str]:
    """``(question, option code) -> label`` of every answer option of the survey."""
    options = meta.options
    return {
        (str(q), str(o)): str(label)
        for q, o, label in zip(
            options["question"], options["option"], options["label"], strict=True
        )
    }


def _breakdown_labels(table: pd.DataFrame, meta: SurveyMeta) -> pd.DataFrame:
    """Name a breakdown table's question by its wording and each answer by its label."""
    labels = option_labels(meta)
    texts = meta.questions["text"].astype(str).to_dict() if "text" in meta.questions else {}
    out = table.copy()
    out["value"] = [
        VALUE_LABELS[TOTAL] if str(v) == TOTAL else labels.get((str(q), str(v)), str(v))
        for q, v in zip(out["breakdown"], out["value"], strict=True)
    ]
    out["breakdown"] = out["breakdown"].astype(str).map(lambda q: texts.get(q, q))
    return out


def _wordings(table: pd.DataFrame, meta: SurveyMeta) -> list[str]:
    """The wording of each row's question, or of its matrix item ("Frage – Aussage")."""
    questions = meta.questions["text"].astype(str).to_dict() if "text" in meta.questions else {}
    items = {
        (str(q), str(i)): str(t)
        for q, i, t in zip(
            meta.items[QUESTION], meta.items["item"], meta.items["text"], strict=True
        )
    }
    keys = table[QUESTION].astype(str)
    parts = table["item"].astype(str) if "item" in table.columns else pd.Series(NONE, table.index)
    out = []
    for question, item in zip(keys, parts, strict=True):
        text = questions.get(question, question)
        if (question, item) in items:
            text = f"{text} – {items[(question, item)]}"
        out.append(text)
    return out
