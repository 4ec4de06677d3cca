"""Serve the built static site on 127.0.0.1 (``make site-serve``), as a compressing host would.

A browser that accepts gzip gets the gzip copy the build wrote beside a file (``x.js.gz``, see
``build.py``) with ``Content-Encoding: gzip``: a phone's first visit costs about half the bytes
of the files as they are.  Everything else is Python's own static file server (its access log
on stderr, which the browser tests read).

Usage::

    python3 sitebuild/serve.py [--port 8000] [--directory site]
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import http.server
import os
import re
from pathlib import Path

ACCEPTS_GZIP = re.compile(
    r"(?:^|,)\s*gzip\s*(?:;\s*q\s*=\s*(?!0(?:\.0*)?\s*(?:,|$))[\d.]+)?\s*(?:,|$)"
)


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (``gzip;q=0`` refuses it).

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("br"), accepts_gzip("gzip;q=0")
    (True, False, False)
    """
    return bool(ACCEPTS_GZIP.search(header.lower()))


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Python's static file handler, sending a file's gzip copy to a browser that accepts it."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        packed = path.with_name(path.name + ".gz")
        if (
            path.is_file()
            and packed.is_file()
            and accepts_gzip(self.headers.get("Accept-Encoding", ""))
        ):
            return self._send_packed(path, packed)
        return super().send_head()

    def _send_packed(self, path: Path, packed: Path):  # type: ignore[no-untyped-def]
        modified = int(path.stat().st_mtime)
        if self._unchanged_since(modified):
            self.send_response(304)
            self.end_headers()
            return None
        body = packed.open("rb")
        try:
            stat = os.fstat(body.fileno())
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(stat.st_size))
            self.send_header("Last-Modified", self.date_time_string(modified))
            self.end_headers()
        except BaseException:
            body.close()
            raise
        return body

    def _unchanged_since(self, modified: int) -> bool:
        """A revalidation (If-Modified-Since) of a file that has not changed since."""
        since = self.headers.get("If-Modified-Since")
        if not since or self.headers.get("If-None-Match"):
            return False
        try:
            asked = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return asked.tzinfo is not None and modified <= asked.timestamp()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", type=Path, default=Path(__file__).parent.parent / "site")
    args = parser.parse_args(argv)
    handler = functools.partial(SiteHandler, directory=str(args.directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"serving {args.directory} on http://127.0.0.1:{args.port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
