"""A team workspace on the test PostgreSQL server: owner ``postgres`` plus three login roles made
by ``team add`` (two reviewers and an adjudicator), each with its own connection URL.

Roles are cluster-wide, so their names carry the test database's suffix. The test server trusts
loopback connections, so the roles need no password here; ``team join`` is tested separately.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from reviewer_app.services.team import TeamService
from reviewer_app.services.workspace import Workspace
from tests.conftest import SAMPLES

REPORT = "report-sparse-multimodal-alignment.txt"
SECOND_REPORT = "paper-page-benchmarks.txt"


@dataclass
class Team:
    owner_url: str
    urls: dict[str, str]
    """Connection URL of each member, by short name (alice, bob, carol)."""
    roles: dict[str, str]
    """Database role of each member, by short name."""
    records: list[str]
    engines: dict[str, Engine]

    def sql(self, who: str, statement: str, **params: Any) -> list[tuple[Any, ...]]:
        """Run one statement as ``who`` (a short name or ``owner``) in its own transaction."""
        with self.engine(who).begin() as connection:
            result = connection.execute(text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []

    def engine(self, who: str) -> Engine:
        if who not in self.engines:
            url = self.owner_url if who == "owner" else self.urls[who]
            self.engines[who] = create_engine(url)
        return self.engines[who]

    def reviewer_id(self, who: str) -> int:
        rows = self.sql("owner", "SELECT id FROM reviewers WHERE name = :n", n=self.roles[who])
        return int(rows[0][0])


def member_url(owner_url: str, role: str) -> str:
    return make_url(owner_url).set(username=role).render_as_string(hide_password=False)


@pytest.fixture
def team(postgres_url: str) -> Iterator[Team]:
    suffix = make_url(postgres_url).database.removeprefix("test_")  # type: ignore[union-attr]
    with Workspace.open(postgres_url) as workspace:
        outcomes = workspace.import_files([SAMPLES / REPORT, SAMPLES / SECOND_REPORT])
        records = [o.local_id for o in outcomes.imported]
        service = TeamService(workspace.database)
        service.init()
        roles = {name: f"{name}_{suffix}" for name in ("alice", "bob", "carol")}
        service.add(roles["alice"])
        service.add(roles["bob"])
        service.add(roles["carol"], adjudicator=True)
    built = Team(
        owner_url=postgres_url,
        urls={name: member_url(postgres_url, role) for name, role in roles.items()},
        roles=roles,
        records=records,
        engines={},
    )
    yield built
    for engine in built.engines.values():
        engine.dispose()
