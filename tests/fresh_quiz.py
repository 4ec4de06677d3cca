"""The whole quiz taken in a fresh Python process: what only a new process shows, such as
which modules a visitor's kernel has imported by a given step."""

from __future__ import annotations

import subprocess
import sys

_START = """
import datetime, sys
from assess.app.roots import build_quiz
quiz = build_quiz(query_string="", today=datetime.date(2026, 11, 26))
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


def take_the_quiz(*, after_start: str = "", at_the_results: str = "") -> list[str]:
    """Run `after_start` once page 1 is shown and `at_the_results` once the results are (both
    Python, with `quiz` and `sys` in scope); return the lines they print.  The charts print
    their bundles in between (no IPython to display them), so look at the first and last."""
    script = _START + after_start + "\n" + _TO_THE_RESULTS + at_the_results + "\n"
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    return run.stdout.strip().splitlines()
