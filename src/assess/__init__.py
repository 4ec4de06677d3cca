"""assess: a self-assessment of isolation risk and network strength for freelancers.

The public API is small: load an instrument, score answers, and (for groups) score a frame.

>>> from assess import Answers, default_instrument, score
>>> instrument = default_instrument()
>>> result = score(instrument, Answers({}))
>>> result.index("isolation_risk").status.value
'unscored'
"""

from assess.core.model import Answers, Instrument, Result
from assess.core.scoring import AnswerError, score
from assess.datafiles.checker import DataFileError
from assess.datafiles.instrument import default_instrument_path, load_instrument

__all__ = [
    "AnswerError",
    "Answers",
    "DataFileError",
    "Instrument",
    "Result",
    "default_instrument",
    "default_instrument_path",
    "load_instrument",
    "score",
]


def default_instrument() -> Instrument:
    """The project's own instrument (isolation risk and network strength)."""
    return load_instrument(default_instrument_path())
