"""The one base class of the domain's errors.

Every service refuses with a subclass of DomainError; its `code` is stable and is what
callers, tests and each audience's map of messages (e.g. sessions/backoffice/errors.py)
read. The exception's text is for logs and developers, never shown as is to residents.
"""


class DomainError(Exception):
    """A refused operation; `code` says why."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code
