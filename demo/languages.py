"""Demo in several languages: translations of the 2026 survey and languages of synthetic answers.

:func:`seed_translations` is an extra demo seeder (see :data:`demo.EXTRA_SEEDERS`):
it stores the Turkish, Arabic, English and Leichte-Sprache texts of the 2026 survey (every
text of all three target groups), matching each text path by its German source. It is
idempotent: a language that already has texts is left alone.

:func:`response_language` gives some online responses another language without drawing from
the random stream (so every other number of the demo stays as it was), and
:func:`foreign_comments` replaces their free texts by comments written in that language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select

from demo.content import translations_ar, translations_en, translations_ls, translations_tr
from demo.hooks import DemoContext
from surveys.db import SessionLike
from surveys.models import Channel, QuestionType, SurveyTranslation
from surveys.translations import save_translations, source_texts

#: German source text -> translation, per language code.
DEMO_TEXTS: dict[str, dict[str, str]] = {
    "tr": translations_tr.TEXTS,
    "ar": translations_ar.TEXTS,
    "en": translations_en.TEXTS,
    "de-LS": translations_ls.TEXTS,
}

#: (modulus, remainder, language): response number ``i`` with ``i % m == r`` answers in it.
LANGUAGE_RULES: tuple[tuple[int, int, str], ...] = (
    (19, 7, "tr"),
    (29, 11, "ar"),
    (43, 5, "en"),
    (53, 3, "de-LS"),
)

#: Free-text comments in other languages, kept as written (no machine translation).
COMMENTS: dict[str, tuple[str, ...]] = {
    "tr": (
        "Kreşlerde daha fazla yer olmalı, bekleme listeleri çok uzun.",
        "Belediyedeki bilgilerin Türkçe de olması çok iyi olurdu.",
        "Parklar daha temiz olmalı ve akşamları daha iyi aydınlatılmalı.",
        "Okul sonrası bakım saatleri işe uymuyor.",
        "Otobüsler daha sık gelmeli, özellikle hafta sonu.",
        "Gençler için daha fazla spor ve buluşma yeri istiyoruz.",
    ),
    "ar": (
        "نحتاج إلى أماكن أكثر في الحضانات، فقوائم الانتظار طويلة جدًا.",
        "سيكون من الجيد أن تتوفر المعلومات في البلدية باللغة العربية أيضًا.",
        "يجب أن تكون الحدائق أنظف وأفضل إضاءة في المساء.",
        "أوقات الرعاية بعد المدرسة لا تناسب أوقات العمل.",
        "نتمنى دورات لتعلم اللغة الألمانية للأمهات مع رعاية للأطفال.",
        "يجب أن تأتي الحافلات بشكل أكثر تكرارًا، خاصة في عطلة نهاية الأسبوع.",
    ),
    "en": (
        "More day care places, please – the waiting lists are far too long.",
        "Information in English at the town hall would help new families a lot.",
        "Safer cycle paths to school would make a big difference.",
    ),
}


def response_language(index: int, channel: Channel) -> str:
    """Return the language of the ``index``-th synthetic response (paper forms are German)."""
    if channel != Channel.ONLINE:
        return "de"
    for modulus, remainder, language in LANGUAGE_RULES:
        if index % modulus == remainder:
            return language
    return "de"


def foreign_comments(
    answers: Mapping[str, Any], text_keys: Sequence[str], language: str, index: int
) -> dict[str, Any]:
    """Return ``answers`` with each given free text replaced by a comment in ``language``."""
    pool = COMMENTS.get(language)
    if not pool:
        return dict(answers)
    out = dict(answers)
    for offset, key in enumerate(text_keys):
        if isinstance(out.get(key), str) and out[key]:
            out[key] = pool[(index + offset) % len(pool)]
    return out


def text_question_keys(sections: Sequence[Any]) -> list[str]:
    """Return the keys of the free-text questions of the demo's section specs."""
    return [q.key for s in sections for q in s.questions if q.type == QuestionType.TEXT]


def seed_translations(session: SessionLike, context: DemoContext) -> str | None:
    """Store the demo translations of the 2026 survey; skip languages that have texts."""
    survey = context.current
    texts = source_texts(survey)
    added = []
    for language, by_german in DEMO_TEXTS.items():
        present = session.scalar(
            select(func.count(SurveyTranslation.id)).where(
                SurveyTranslation.survey_id == survey.id, SurveyTranslation.language == language
            )
        )
        if present:
            continue
        mapping = {t.path: by_german[t.german] for t in texts if t.german in by_german}
        save_translations(session, survey, language, mapping)
        added.append(language)
    if not added:
        return None
    return f"Übersetzungen der Umfrage 2026: {', '.join(added)}."
