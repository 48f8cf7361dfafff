"""staff accounts: OpenID Connect identities

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 01:30:00

Two nullable columns on ``user_account``: the issuer of the city's identity provider and the
subject (the person's stable id there). A single sign-on login finds the account by the pair,
which is unique; accounts without single sign-on keep both empty (several NULL pairs are
allowed by SQLite and PostgreSQL alike).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("oidc_issuer", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_user_account_oidc_issuer"), ["oidc_issuer", "oidc_subject"]
        )


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_user_account_oidc_issuer"), type_="unique")
        batch_op.drop_column("oidc_subject")
        batch_op.drop_column("oidc_issuer")
