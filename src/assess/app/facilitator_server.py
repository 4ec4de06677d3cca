"""``make facilitator``: the facilitator's view on a Voilà of its own, with a token the
facilitator can actually log in with.

Voilà makes a token and logs the link that carries it, but the guard's log
(:mod:`assess.hosting.log_guard`) drops every query string on purpose (a visitor's could carry
anything), so that token reached nobody.  Here the token is taken from ``$JUPYTER_TOKEN`` or made
before Voilà starts (Voilà reads it from the same variable), and the link with it is written once
to the terminal that started the command: never to the log, which a journal or a proxy may keep.
With no terminal to show a new token on (a service), the token must be given in
``$JUPYTER_TOKEN``; the link is then shown without it.

>>> login_link(["x.ipynb", "--port=8867", "--Voila.ip=127.0.0.1"], "abc")
'http://127.0.0.1:8867/?token=abc'
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Sequence
from typing import TextIO

TOKEN_ENV = "JUPYTER_TOKEN"
"""Where Jupyter's identity provider reads a fixed token from (and where it is given)."""


def login_link(argv: Sequence[str], token: str) -> str:
    """The link to the view that Voilà started with `argv` serves, logged in with `token`."""
    settings = {"ip": "localhost", "port": "8866", "base_url": "/"}
    for word in argv:
        name, _, value = word.removeprefix("--").removeprefix("Voila.").partition("=")
        name = name.replace("-", "_")
        if value and name in settings:
            settings[name] = value
    base = "/" + settings["base_url"].strip("/") + "/" if settings["base_url"].strip("/") else "/"
    return f"http://{settings['ip']}:{settings['port']}{base}?token={token}"


def _terminal() -> TextIO | None:
    """The terminal that started the command: standard output if it is one, else the process's
    controlling terminal (``make facilitator > file``); None for a service, which has neither."""
    if sys.stdout.isatty():
        return sys.stdout
    try:
        return open("/dev/tty", "w", encoding="utf-8")  # kept open while Voilà runs
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover - runs the server
    """``python -m assess.app.facilitator_server facilitator/cohort.ipynb --token ...``: the
    arguments are Voilà's (through :mod:`assess.hosting.guard`)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    given = os.environ.get(TOKEN_ENV, "")
    terminal = _terminal()
    if not given and terminal is None:
        print(
            f"error: no terminal to show a new login token on; set {TOKEN_ENV}, e.g. "
            f"{TOKEN_ENV}=$(openssl rand -hex 24)",
            file=sys.stderr,
        )
        return 2
    token = given or secrets.token_hex(24)
    os.environ[TOKEN_ENV] = token
    if terminal is not None:
        print(f"The facilitator's view: {login_link(arguments, token)}", file=terminal, flush=True)
    else:
        shown = login_link(arguments, "…")
        print(f"The facilitator's view: {shown} (the token is ${TOKEN_ENV})", flush=True)
    from assess.hosting.guard import main as serve

    serve(arguments)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
