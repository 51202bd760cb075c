"""Errors the user can cause, kept apart from bugs.

Everything derived from :class:`UserError` carries a message written for a person: what went wrong
and what to do about it. The CLI prints it on one line and exits 1; the window shows it in a dialog.
Any other exception is a bug and gets a traceback in the log.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; ``str(err)`` is a complete, friendly sentence."""


class ValidationError(UserError):
    """Input that breaks a rule of the domain.

    Attributes:
        field: the name of the offending field (``"name"``, ``"sessions[3].date"``), if known.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.field}: {message}" if self.field else message


class NotFoundError(UserError):
    """A record the user asked for does not exist (any more)."""


class AmbiguousError(UserError):
    """A name matches more than one record; the message lists the candidates."""


class ConfirmationRequiredError(UserError):
    """A destructive action was asked for without the explicit confirmation it needs."""


class DatabaseError(UserError):
    """The database cannot be used as it is (damaged, locked, from a newer version...)."""


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer Mentor Desk; it is left untouched."""


class DatabaseLockedError(DatabaseError):
    """Another process holds the database or the data folder."""


class ImportFileError(UserError):
    """An interchange file could not be read or failed validation; nothing was written.

    Attributes:
        problems: every problem found, each prefixed with its location in the file.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        message = super().__str__()
        if not self.problems:
            return message
        shown = "; ".join(self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        return f"{message}: {shown}{more}"
