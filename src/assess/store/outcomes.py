"""What a page tells a person after it asked the results store for something.

A plain value with a message key (wording in ``data/i18n/app.yaml`` and ``progress.yaml``, in
both languages) and what the person must be handed: never the database's name, host, user, file
or the driver's own words, which go to the server's log only.  No database import here, so that
widgets can name these without loading SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """The answer to "save this result" or "withdraw my consent".

    `message_key` is what the save box says (as an alert unless `done`); after a save,
    `record_id` is the saved result's id (what "withdraw" needs) and `progress_key` the key to
    show the person once, with the words of ``save.key``: it alone opens their progress later.
    """

    message_key: str
    done: bool
    record_id: str | None = None
    progress_key: str | None = None

    @property
    def alert(self) -> bool:
        """Whether the page shows the message as an alert (something did not happen)."""
        return not self.done


class StoreProblem(OSError):  # noqa: N818 - read as "raise StoreProblem(key)"
    """The store could not do what a page asked; `message_key` says so in the page's words.

    Its text is `text` (the message in the page's language) or the key itself, never a detail
    of the database: details are in the server's log.
    """

    def __init__(self, message_key: str, text: str | None = None) -> None:
        super().__init__(text or message_key)
        self.message_key = message_key
