"""The whole quiz taken in a fresh Python process: what only a new process shows, such as
which modules a visitor's kernel has imported by a given step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

_START = """
import datetime, sys
from assess.app.roots import build_quiz
quiz = build_quiz(query_string={query_string!r}, today=datetime.date(2026, 11, 26))
quiz.start.click()
"""

_TO_THE_RESULTS = """
while quiz.page <= quiz.last_question_page:
    for question in quiz.question_pages[quiz.page - 1].questions:
        question.choices.value = question.option_values[1]
    quiz.next.click()
for question in quiz.profile_page.questions:
    question.choices.value = question.option_values[0]
quiz.next.click()
assert quiz.plan is not None and quiz.results_page is not None, "no results"
"""


def take_the_quiz(
    *,
    after_start: str = "",
    at_the_results: str = "",
    before: str = "",
    python: str = sys.executable,
    cwd: Path | None = None,
    query_string: str = "",
) -> list[str]:
    """Run `after_start` once page 1 is shown and `at_the_results` once the results are (both
    Python, with `quiz` and `sys` in scope); return the lines they print.  The charts print
    their bundles in between (no IPython to display them), so look at the first and last.
    `before` runs first of all (e.g. to make imports fail), with the interpreter `python` in
    the folder `cwd`; `query_string` is the page's (``lang=en``)."""
    start = _START.replace("{query_string!r}", repr(query_string))
    script = before + "\n" + start + after_start + "\n" + _TO_THE_RESULTS + at_the_results + "\n"
    run = subprocess.run(
        [python, "-c", script], capture_output=True, text=True, timeout=120, cwd=cwd, check=False
    )
    assert run.returncode == 0, f"the quiz failed in a fresh process:\n{run.stderr[-3000:]}"
    return run.stdout.strip().splitlines()


def refusing(*packages: str) -> str:
    """Python to run `before` the quiz: importing any of `packages` (or their modules) fails,
    as in an interpreter that does not have them; the attempts are listed in ``refused``."""
    return f"""
import sys
refused = []
class _Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {sorted(packages)!r}:
            refused.append(name)
            raise ImportError(f"{{name}} is not installed here")
        return None
sys.meta_path.insert(0, _Refuse())
"""


def answer_everything(quiz: object, *, choose: int) -> None:
    """Take an in-process quiz (``build_quiz``) from its welcome to its results: option `choose`
    of every question, the first of every profile question."""
    q: Any = quiz
    q.start.click()
    while q.page <= q.last_question_page:
        for question in q.question_pages[q.page - 1].questions:
            question.choices.value = question.option_values[choose]
        q.next.click()
    for question in q.profile_page.questions:
        question.choices.value = question.option_values[0]
    q.next.click()
