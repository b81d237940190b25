"""Domain errors of the tablet fleet."""

from mediation.errors import DomainError


class TabletError(DomainError):
    """A refused operation on a tablet; ``code`` is stable and meant for callers and tests.

    Codes: ``reset_pending``, ``unavailable``, ``reference_conflict``, ``transition_refused``,
    ``already_out``, ``not_out``.
    """

    def __init__(self, message: str, *, code: str, reason: str = ""):
        super().__init__(code, message)
        # Why a transition was refused, in words a coordinator can act on.
        self.reason = reason or message
