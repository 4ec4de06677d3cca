"""Languages are data: a build offers the languages of ``data/i18n/languages.yaml``, every text
is checked for each of them, and a pseudo-language added as data alone (``xx``, English with
accented letters, made at test time) is shown everywhere a person looks: every page of the quiz
as ``build_quiz`` wires it, the charts, every take-away and a result code's way back."""

from __future__ import annotations

import ast
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fresh_quiz import take_the_quiz
from hypothesis import given
from hypothesis import strategies as st
from pseudo_language import PSEUDO, leftovers, pseudo, text_maps, using_data, with_pseudo

from assess.app.roots import language_from_query
from assess.core.model import Languages, Text
from assess.datafiles.checker import DataFileError
from assess.datafiles.languages import default_languages, default_languages_path, parse_languages
from assess.datafiles.messages import parse_messages


def offering_pseudo() -> Languages:
    """The shipped list plus ``xx``, read as the data file says it."""
    import yaml

    document = yaml.safe_load(default_languages_path().read_text(encoding="utf-8"))
    english = next(entry for entry in document["languages"] if entry["code"] == "en")
    document["languages"].append(
        {**english, "code": PSEUDO, "name": pseudo("Pseudo"), "english_name": "Pseudo"}
    )
    return parse_languages(document, source="languages.yaml")


# --- the list and the checker -----------------------------------------------------------------


def test_a_file_missing_three_translations_gets_three_problems() -> None:
    """Each text without the listed language is one problem naming file, entry and the fix."""
    document = {
        "format": "assess-messages/1",
        "messages": {
            key: {
                "ja": "テキスト",
                "en": "Text",
                **({PSEUDO: pseudo("Text")} if key == "d" else {}),
            }
            for key in ("a", "b", "c", "d")
        },
    }
    with pytest.raises(DataFileError) as raised:
        parse_messages(document, source="extra.yaml", languages=offering_pseudo())
    assert [(p.file, p.entry, p.message) for p in raised.value.problems] == [
        ("extra.yaml", f"messages.{key}", "missing translation: add the Pseudo text under 'xx'")
        for key in ("a", "b", "c")
    ]


def test_listing_a_language_without_its_texts_reports_every_text_of_every_file(
    tmp_path: Path,
) -> None:
    """One line added to languages.yaml, no texts yet: `assess validate` names each text to
    translate, across all the data files, in one run."""
    folder = with_pseudo(tmp_path, texts=False)
    import yaml

    expected = sum(
        len(list(text_maps(yaml.safe_load(path.read_text(encoding="utf-8")))))
        for path in folder.rglob("*.yaml")
    )
    script = using_data(folder) + (
        f"from assess.app.cli import main\nsys.exit(main(['validate', {str(folder)!r}]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    report = run.stdout + run.stderr
    missing = re.findall(r"missing translation: add the Pseudo text under 'xx'", report)
    assert run.returncode != 0
    assert expected > 100
    assert len(missing) == expected, report[-2000:]
    page_keys = yaml.safe_load((folder / "i18n" / "page.yaml").read_text(encoding="utf-8"))
    for key in page_keys["messages"]:  # the page's scripts' and the server pages' words too
        assert f"page.yaml: messages.{key}: missing translation" in report


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"default": "fr"}, "must be the code of a language listed"),
        ({"languages": "ja"}, "must be a list"),
    ],
)
def test_a_broken_languages_list_is_reported(change: dict[str, Any], message: str) -> None:
    """A fallback the list lacks, or no list at all, is a clear problem."""
    import yaml

    document = yaml.safe_load(default_languages_path().read_text(encoding="utf-8"))
    with pytest.raises(DataFileError, match=message):
        parse_languages({**document, **change}, source="languages.yaml")


def test_a_language_listed_twice_is_reported() -> None:
    """Two entries with one code are one problem, naming the code."""
    import yaml

    document = yaml.safe_load(default_languages_path().read_text(encoding="utf-8"))
    document["languages"].append(document["languages"][0])
    with pytest.raises(DataFileError, match="duplicate language id 'ja'"):
        parse_languages(document, source="languages.yaml")


@pytest.mark.parametrize(
    ("query", "language"),
    [("lang=xx", "xx"), ("lang=en", "en"), ("lang=fr", "ja"), ("", "ja"), ("lang=XX", "ja")],
)
def test_the_link_may_ask_for_any_language_offered(query: str, language: str) -> None:
    """?lang= takes every code of the list; anything else opens in the list's default."""
    assert language_from_query(query, languages=offering_pseudo()) == language


def test_the_shipped_list_is_japanese_first_then_english() -> None:
    """The build offers what the brief asks: Japanese, the default, and English."""
    assert default_languages().codes == ("ja", "en")
    assert default_languages().default == "ja"


def test_a_text_keeps_its_japanese_and_english_names() -> None:
    """Code written for the two shipped languages still reads `text.ja` and `text.en`."""
    text = Text.of({"ja": "今日", "en": "Today", PSEUDO: "Ťóďáý"})
    assert (text.ja, text.en, text[PSEUDO], text.get("fr")) == ("今日", "Today", "Ťóďáý", None)
    assert text == Text(ja="今日", en="Today", xx="Ťóďáý")


# --- the pseudo-language, end to end ------------------------------------------------------------

_PAGE_TEXTS = r"""
import json
from assess.hosting.page_texts import assess_page_texts, busy_page_html, server_page_texts
texts = server_page_texts()
keys = ("server.title", "server.busy.title", "server.busy.text", "server.busy.reload",
        "server.busy.short", "server.error.title", "server.error.text")
print(json.dumps({
    "block": assess_page_texts("page."),
    "server pages": {lang: said for lang, *said in texts.each(*keys)},
    "busy page": busy_page_html(texts),
}))
"""


def test_the_page_around_the_quiz_speaks_a_language_added_as_data(tmp_path: Path) -> None:
    """The page's scripts get ``xx``'s words from the filter, and the server's own pages say
    theirs in ``xx`` too, with nothing but the data changed."""
    script = using_data(with_pseudo(tmp_path)) + _PAGE_TEXTS
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    said = json.loads(run.stdout.splitlines()[-1])
    block = json.loads(re.sub(r"^<script[^>]*>|</script>$", "", said["block"]))
    xx = block["languages"][PSEUDO]
    assert set(block["languages"]) == {"ja", "en", PSEUDO} and block["default"] == "ja"
    assert xx["lang"] == "en-x-pseudo" and xx["texts"]
    assert set(xx["texts"]) == set(block["languages"]["ja"]["texts"])
    shown = [*xx["texts"].values(), *said["server pages"]["en-x-pseudo"]]
    assert {text: leftovers(text) for text in shown if leftovers(text)} == {}
    assert '<p lang="en-x-pseudo">' in said["busy page"]


_COLLECT = r"""
import base64, json
import ipywidgets
# Widgets whose value is text a person reads (a question's or a choice's value is an id).
TEXTUAL = (ipywidgets.HTML, ipywidgets.HTMLMath, ipywidgets.Label, ipywidgets.Text,
           ipywidgets.Textarea)
def shown(widget, skip=()):
    out = []
    def walk(w):
        if any(w is s for s in skip):
            return
        textual = isinstance(w, TEXTUAL)
        for name in ("description", "placeholder", "tooltip") + (("value",) if textual else ()):
            v = getattr(w, name, None)
            if isinstance(v, str) and v:
                out.append(v)
        out.extend(str(label) for label in getattr(w, "_options_labels", ()))
        for child in getattr(w, "children", ()):
            walk(child)
    walk(widget)
    return out
seen = {}
"""

_AT_PAGE_ONE = r"""
seen["welcome"] = shown(quiz.welcome)
seen["first page"] = shown(quiz, skip=[quiz.switch])
seen["switch"] = [str(label) for label in quiz.switch._options_labels]
seen["language"] = [quiz.language]
"""

_AT_THE_RESULTS = r"""
seen["question pages"] = [s for page in quiz.question_pages.built() for s in shown(page)]
seen["profile page"] = shown(quiz.profile_page)
seen["results"] = shown(quiz, skip=[quiz.switch])
files = {}
for kind, button in quiz.results_page.downloads.buttons.items():
    button.click()
    link = quiz.results_page.downloads.links[kind].value
    files[kind] = base64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0]).decode()
seen["download links"] = [l.value for l in quiz.results_page.downloads.links.values()]
code = quiz.results_page.code_box.code
print("SWITCHING")
quiz.switch.value = "ja"
quiz.switch.value = "xx"
seen["results after switching back"] = shown(quiz, skip=[quiz.switch])
again = build_quiz(query_string="lang=xx", today=datetime.date(2026, 11, 26))
again.code_input.value = code
again.restore.click()
assert again.page == again.results_index, "the code did not restore"
seen["restored from the code"] = shown(again, skip=[again.switch])
print("SEEN " + json.dumps({"seen": seen, "files": files, "code": code}))
"""


@pytest.fixture(scope="module")
def pseudo_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The quiz taken in ``xx`` in a fresh process whose package data offers ``xx``: what each
    step showed, the charts it drew, the take-aways and the result code."""
    folder = with_pseudo(tmp_path_factory.mktemp("data"))
    lines = take_the_quiz(
        before=using_data(folder) + _COLLECT,
        after_start=_AT_PAGE_ONE,
        at_the_results=_AT_THE_RESULTS,
        query_string=f"lang={PSEUDO}",
    )
    run: dict[str, Any] = json.loads(lines[-1].removeprefix("SEEN "))
    first_results = lines[: lines.index("SWITCHING")]
    run["charts"] = [ast.literal_eval(line) for line in first_results if line.startswith("{")]
    return run


STAGES = (
    "welcome",
    "first page",
    "question pages",
    "profile page",
    "results",
    "download links",
    "results after switching back",
    "restored from the code",
)


def test_the_pseudo_language_is_offered_and_chosen_by_the_link(pseudo_run: dict[str, Any]) -> None:
    """The switch lists the three languages by their own names; ?lang=xx opened the quiz in it."""
    assert pseudo_run["seen"]["switch"] == ["日本語", "English", pseudo("Pseudo")]
    assert pseudo_run["seen"]["language"] == [PSEUDO]
    assert 'lang="en-x-pseudo"' in "".join(pseudo_run["seen"]["first page"])


@pytest.mark.parametrize("stage", STAGES)
def test_every_string_a_page_shows_is_in_the_pseudo_language(
    pseudo_run: dict[str, Any], stage: str
) -> None:
    """No Japanese and no plain English on any page of a run in ``xx``."""
    shown = pseudo_run["seen"][stage]
    assert shown
    code = pseudo_run["code"]
    assert {
        s: leftovers(s.replace(code, "")) for s in shown if leftovers(s.replace(code, ""))
    } == {}


def _chart_texts(figure: dict[str, Any]) -> list[str]:
    texts: list[str] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                walk(value, name)
        elif isinstance(node, list):
            for value in node:
                walk(value, key)
        elif isinstance(node, str) and key in ("y", "text", "hovertext", "name", "title"):
            texts.append(node)

    walk(figure)
    return texts


def test_the_charts_label_everything_in_the_pseudo_language(pseudo_run: dict[str, Any]) -> None:
    """Facet names, bands, the survey's answers and titles on the charts come from the data."""
    texts = [t for chart in pseudo_run["charts"] for t in _chart_texts(chart)]
    assert len(pseudo_run["charts"]) >= 2
    assert texts
    assert {t: leftovers(t) for t in texts if leftovers(t)} == {}


def _ics_values(calendar: str) -> list[str]:
    unfolded = calendar.replace("\r\n ", "").replace("\n ", "")
    return [
        line.split(":", 1)[1].replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
        for line in unfolded.splitlines()
        if line.split(":", 1)[0] in ("SUMMARY", "DESCRIPTION", "X-WR-CALNAME")
    ]


@pytest.mark.parametrize("kind", ["markdown", "html", "calendar"])
def test_every_take_away_is_written_in_the_pseudo_language(
    pseudo_run: dict[str, Any], kind: str
) -> None:
    """The plan as Markdown, HTML and calendar entries: every word from the data in ``xx``."""
    text = pseudo_run["files"][kind].replace(pseudo_run["code"], "")
    parts = {"markdown": text.splitlines(), "html": [text], "calendar": _ics_values(text)}[kind]
    assert parts
    assert {p: leftovers(p) for p in parts if leftovers(p)} == {}


def test_the_html_take_away_tells_the_browser_its_language(pseudo_run: dict[str, Any]) -> None:
    """The page's ``<html lang>`` is the list's tag for the language, as the quiz's title is."""
    assert '<html lang="en-x-pseudo">' in pseudo_run["files"]["html"]


def test_the_json_take_away_carries_every_text_in_the_pseudo_language_too(
    pseudo_run: dict[str, Any],
) -> None:
    """Each text in the raw result holds all the build's languages, ``xx`` among them."""
    document = json.loads(pseudo_run["files"]["json"])
    texts = list(text_maps(document))
    assert texts
    assert all(set(text) == {"ja", "en", PSEUDO} for text in texts)
    assert {t[PSEUDO]: leftovers(t[PSEUDO]) for t in texts if leftovers(t[PSEUDO])} == {}


_CODES = st.from_regex(r"[a-z]{2,3}", fullmatch=True)


@given(st.dictionaries(_CODES, st.text(min_size=1), min_size=1, max_size=4))
def test_a_text_is_the_map_of_languages_it_was_given(by_language: dict[str, str]) -> None:
    """Any language map becomes a text holding exactly it, equal (and hashing equal) to a text
    of the same map in any order, and the same after pickling (a kernel hands texts around)."""
    text = Text.of(by_language)
    reordered = Text.of(dict(reversed(by_language.items())))
    assert text.by_language == by_language
    assert all(text[code] == words for code, words in by_language.items())
    assert text == reordered and hash(text) == hash(reordered)
    assert pickle.loads(pickle.dumps(text)) == text
