"""question: conditions become rules combined with "all" or "any"

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 19:00:00

A condition was one rule, ``{"question", "op", "value"}``. The condition builder stores
``{"match": "all" | "any", "rules": [...]}``; the JSON column stays, existing conditions are
rewritten (an old ``in`` with several values becomes "any" of one ``equals`` per value).
The downgrade writes the first rule back, the only one the old code can read.
"""

import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

question = sa.table("question", sa.column("id", sa.Integer), sa.column("condition", sa.JSON))


def _upgraded(condition):
    if not condition or "rules" in condition:
        return condition
    rule = {k: condition[k] for k in ("question", "op", "value") if k in condition}
    rule.setdefault("op", "equals")
    if rule["op"] == "in" and isinstance(rule.get("value"), list) and rule["value"]:
        return {
            "match": "any",
            "rules": [
                {"question": rule.get("question"), "op": "equals", "value": v}
                for v in rule["value"]
            ],
        }
    return {"match": "all", "rules": [rule]}


def _downgraded(condition):
    if not condition or "rules" not in condition:
        return condition
    rules = condition.get("rules") or []
    if not rules:
        return None
    if (
        condition.get("match") == "any"
        and all(
            r.get("op") == "equals" and r.get("question") == rules[0].get("question") for r in rules
        )
        and len(rules) > 1
    ):
        return {
            "question": rules[0]["question"],
            "op": "in",
            "value": [r.get("value") for r in rules],
        }
    return dict(rules[0])


def _rewrite(change):
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(question.c.id, question.c.condition).where(question.c.condition.isnot(None))
    ).all()
    for row_id, condition in rows:
        if isinstance(condition, str):  # some drivers hand back the JSON text
            condition = json.loads(condition)
        changed = change(condition)
        if changed != condition:
            connection.execute(
                question.update().where(question.c.id == row_id).values(condition=changed)
            )


def upgrade():
    _rewrite(_upgraded)


def downgrade():
    _rewrite(_downgraded)
