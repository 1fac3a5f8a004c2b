"""Alembic environment: migrations run on the connection the app hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from reviewer_app.storage import (
    grounding_models,  # noqa: F401  (registers the grounding tables)
    passage_models,  # noqa: F401  (evidence-finder tables)
    review_models,  # noqa: F401  (registers the review tables)
)
from reviewer_app.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # Command-line use (``alembic -c ...``) against the URL in the ini file.
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
        with engine.begin() as conn:
            _configure_and_run(conn)
        return
    _configure_and_run(connection)


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
