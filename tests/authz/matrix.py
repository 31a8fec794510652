"""The authorization matrix: one row per API operation (or per interesting variant of one).

Each app's tests keep their rows in `tests/<app>/matrix.py` as `ROWS = [Row(...), ...]`.
`tests/authz/test_matrix.py` walks every operation in the OpenAPI schema and fails if one has no row,
then runs every row for every persona and compares the status code.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import PERSONAS, World

Params = Callable[[World], dict[str, Any]]
Body = Callable[[World, str], Any]


def expect(default: int | None = None, **statuses: int) -> dict[str, int]:
    """Status per persona; every persona must end up with a value.

    `expect(404, owner=200, admin=200)` or `expect(anonymous=401, ...)`. Anonymous defaults to 401.
    A row may name extra personas (`expect(404, invited_provider=200)`): its `params` must add them to
    `world.people` before the request is sent.
    """
    table = {persona: default for persona in PERSONAS}
    table["anonymous"] = 401
    table.update(statuses)
    missing = [persona for persona, status in table.items() if status is None]
    if missing:
        raise ValueError(f"no expected status for {missing}")
    return table  # type: ignore[return-value]


@dataclass
class Row:
    operation: str  # "METHOD /api/v1/path/{param}/" exactly as in the OpenAPI schema
    expect: dict[str, int]
    params: Params = field(default=lambda world: {})
    body: Body | None = None
    variant: str = ""
    multipart: bool = False
    query: Params | None = None  # query-string parameters, e.g. a token

    @property
    def method(self) -> str:
        return self.operation.split(" ", 1)[0]

    @property
    def path(self) -> str:
        return self.operation.split(" ", 1)[1]

    @property
    def id(self) -> str:
        return f"{self.operation}{' [' + self.variant + ']' if self.variant else ''}"
