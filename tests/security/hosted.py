"""The hosted quiz the security tests run against (see conftest.py for how it is started)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voila_server import REPO


@dataclass(frozen=True)
class Hosted:
    url: str
    log: Path
    root: Path = REPO

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")
