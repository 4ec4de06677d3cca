"""The facilitator's composition root: the shipped data, the result store and the page's query
string wired into :class:`assess.ui.facilitator.FacilitatorView`.

The notebook ``facilitator/cohort.ipynb`` is two lines::

    from assess.app.facilitator import build_facilitator
    build_facilitator()

It is served by its own Voilà with a token (``make facilitator``), never by the quiz's server.
Voilà hands the page's query string to the kernel as ``QUERY_STRING``: ``?lang=en``,
``?source=synthetic&size=30`` or ``?source=store&cohort=ws-tokyo`` open the view on that source.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Protocol
from urllib.parse import parse_qs

import pandas as pd

from assess.core.model import Instrument
from assess.datafiles.languages import default_languages
from assess.group.answers import ResultSource, workshop_frame
from assess.group.disclosure import DEFAULT_MIN_GROUP, check_min_group
from assess.group.summary import CohortSummary
from assess.hosting import voila_page
from assess.ui.facilitator import (
    DEFAULT_SYNTHETIC_SIZE,
    MAX_COHORT_CHARACTERS,
    SOURCES,
    SYNTHETIC_SIZES,
    FacilitatorServices,
    FacilitatorView,
    SourceProblem,
)

_log = logging.getLogger("assess")

SYNTHETIC_SEED = 2026
"""The synthetic sample's seed: the same sample for everyone who tries the view."""


class OpenedStore(ResultSource, Protocol):
    """A result store opened for one read (see :class:`assess.store.results.ResultStore`)."""

    @property
    def skipped(self) -> int:
        """How many stored results the last read left out because they could not be read."""
        ...

    def close(self) -> None: ...


def load_from_store(
    instrument: Instrument,
    store_url: str | None,
    cohort: str,
    *,
    open_store: Callable[[str | None], OpenedStore] | None = None,
) -> tuple[pd.DataFrame, int]:
    """The answers saved under a workshop code, of this questionnaire and version, and how many
    saved results could not be read.  The store is opened, read and closed, so that no
    connection is held while the facilitator reads.

    `open_store` (default :meth:`assess.store.results.ResultStore.open`) takes the URL.  A
    store that cannot be opened or read raises :class:`SourceProblem`: the page says so in
    plain words, the server's log says why (the store's message names the database, never a
    password).
    """
    from assess.store.results import ResultStore, StoreError, normalise_cohort

    try:
        normalise_cohort(cohort)
    except ValueError:
        raise SourceProblem("error.cohort_code") from None
    opener = ResultStore.open if open_store is None else open_store
    try:
        store = opener(store_url)
        try:
            return workshop_frame(instrument, store, cohort), store.skipped
        finally:
            store.close()
    except (StoreError, OSError, ValueError) as error:
        _log.error(
            "the facilitator's view could not read the results store (%s): %s",
            type(error).__name__,
            error,
        )
        raise SourceProblem("error.store") from None


def query_options(query_string: str) -> dict[str, str]:
    """The view's options from a page's query string; unknown values are dropped.

    >>> query_options("lang=en&source=synthetic&size=12&min_group=1")
    {'language': 'en', 'source': 'synthetic', 'size': '12'}
    """
    query = parse_qs(query_string)
    options: dict[str, str] = {}
    language = query.get("lang", [""])[0]
    if language in default_languages():
        options["language"] = language
    source = query.get("source", [""])[0]
    if source in SOURCES:
        options["source"] = source
    cohort = query.get("cohort", [""])[0].strip()
    if cohort and len(cohort) <= MAX_COHORT_CHARACTERS and cohort.isprintable():
        options["cohort"] = cohort
    size = query.get("size", [""])[0]
    if size.isdigit() and SYNTHETIC_SIZES[0] <= int(size) <= SYNTHETIC_SIZES[1]:
        options["size"] = size
    return options


def build_facilitator(
    *,
    store_url: str | None = None,
    min_group: int = DEFAULT_MIN_GROUP,
    query_string: str | None = None,
    open_store: Callable[[str | None], OpenedStore] | None = None,
) -> FacilitatorView:
    """Build the facilitator's view with the shipped data.

    `store_url` is the result store's URL (default: the store's own default, see
    :mod:`assess.store.results`); `min_group` the smallest group a figure is shown for (never
    below 3; not settable from the page); `query_string` the page's (default: Voilà's).  When
    it names a source that needs nothing typed (``source=synthetic``, or ``source=store`` with a
    ``cohort``), the summary is shown at once.
    """
    from assess.datafiles.instrument import default_instrument_path, load_instrument
    from assess.datafiles.layouts import default_layouts
    from assess.datafiles.messages import default_messages
    from assess.datafiles.reference import default_reference
    from assess.group.codes import frame_from_codes
    from assess.group.summarise import summarise
    from assess.group.synthetic import synthetic_cohort

    min_group = check_min_group(min_group)
    if query_string is None:
        query_string = voila_page.query_string()
    options = query_options(query_string)
    instrument = load_instrument(default_instrument_path())
    reference = default_reference()

    def _summarise(frame: pd.DataFrame, cohort: str | None) -> CohortSummary:
        return summarise(instrument, frame, min_group=min_group, reference=reference, cohort=cohort)

    def _synthetic(size: int) -> pd.DataFrame:
        return synthetic_cohort(instrument, size, seed=SYNTHETIC_SEED)

    services = FacilitatorServices(
        summarise=_summarise,
        decode=partial(frame_from_codes, instrument, layouts=default_layouts()),
        synthetic=_synthetic,
        load=partial(load_from_store, instrument, store_url, open_store=open_store),
    )
    view = FacilitatorView(
        messages=default_messages(),
        services=services,
        language=options.get("language", "ja"),
        source=options.get("source", "codes"),
        cohort=options.get("cohort", ""),
        size=int(options.get("size", DEFAULT_SYNTHETIC_SIZE)),
        min_group=min_group,
    )
    source = options.get("source")
    if source == "synthetic" or (source == "store" and "cohort" in options):
        view.show()
    return view
