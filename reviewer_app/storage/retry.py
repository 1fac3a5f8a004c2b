"""Re-running a unit of work that PostgreSQL rolled back to resolve a conflict between
concurrent writers (serialization failure, deadlock): the user never sees those, only the
outcome of the retry. Anything else is raised at once."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
"""serialization_failure, deadlock_detected: the server rolled back, so a rerun is safe."""
MAX_ATTEMPTS = 8
FIRST_DELAY_S = 0.01

P = ParamSpec("P")
T = TypeVar("T")
log = logging.getLogger(__name__)


def is_retryable(error: BaseException) -> bool:
    return isinstance(error, DBAPIError) and (
        getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES
    )


def retried(func: Callable[P, T]) -> Callable[P, T]:
    """Decorate a method that opens its own transaction (and does nothing else irreversible)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except DBAPIError as exc:
                if not is_retryable(exc) or attempt == MAX_ATTEMPTS:
                    raise
                log.info("retrying %s after %s", func.__qualname__, exc.orig)
                # exponential back-off with jitter, so the colliding writers do not meet again
                time.sleep(FIRST_DELAY_S * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    return wrapper
