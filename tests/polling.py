"""Waiting for another process (a Celery worker, a Redis server) to get somewhere, without timed assertions."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_for(condition: Callable[[], Any], *, timeout: float = 30, interval: float = 0.05, what: str = "") -> Any:
    """Call `condition` until it returns something true and return that; fail the test after `timeout` seconds
    (a generous ceiling for a slow machine, never a claim about speed)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
        time.sleep(interval)
