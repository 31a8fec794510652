"""Dashboard panels other apps add to the console's index page, without editing the console.

An app registers a template in its AppConfig.ready(): `panels.register("myapp/dashboard_panel.html", order=50)`.
The dashboard includes every registered template, in order, below the queues; each template receives the
dashboard's context (`request`, `user`) and decides for itself what the staff member may see.
"""

from __future__ import annotations

_panels: dict[str, int] = {}


def register(template: str, *, order: int = 100) -> None:
    _panels[template] = order


def templates() -> list[str]:
    return [name for name, _order in sorted(_panels.items(), key=lambda item: (item[1], item[0]))]
