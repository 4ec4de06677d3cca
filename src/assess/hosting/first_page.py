"""The quiz's first page from the shipped data, for the page template (both engines).

Registered as the Jinja filter ``assess_first_page`` of the page template's exporter (Voilà's
``VoilaExporter.filters`` in ``voila.json``; the static build's Voici configuration in
``sitebuild/``): ``{{ "voila" | assess_first_page }}`` is the first page as Voilà serves it,
``"static"`` as the static site does.  Read once per process: the data files do not change
while a server runs.
"""

from __future__ import annotations

import functools

from assess.datafiles.instrument import default_instrument_path, load_instrument
from assess.datafiles.messages import default_messages
from assess.datafiles.support import default_support
from assess.render.first_page import Engine, first_page_html


@functools.cache
def assess_first_page(engine: str) -> str:
    """The first page in every language for `engine` (``"voila"`` or ``"static"``)."""
    known: dict[str, Engine] = {"voila": "voila", "static": "static"}
    if engine in known:
        return first_page_html(
            default_messages(),
            default_support(),
            engine=known[engine],
            instrument=load_instrument(default_instrument_path()),
        )
    raise ValueError(f"unknown engine {engine!r}: the page template names 'voila' or 'static'")


__all__ = ("assess_first_page",)
