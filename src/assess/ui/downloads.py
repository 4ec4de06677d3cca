"""The take-aways on the results page, each made only when the person asks for it.

Making all four files on every draw was most of a visitor's kernel CPU at the results
(benchmarks/README.md): a button per file makes that file, then offers it as a data: link.
No I/O: the files are made by the function handed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ipywidgets as widgets

from assess.ui.components import FULL_WIDTH, Labels, Wording, esc
from assess.ui.results import Download

KINDS = ("markdown", "html", "calendar", "json")
"""The take-aways offered, in the order shown; each has a label ``downloads.<kind>``."""


class DownloadsBox(widgets.VBox):  # type: ignore[misc]
    """A button per take-away; a click makes the file and shows its link beside the button.

    `kinds` maps each take-away offered to its button's label (all four, by default); `title`
    is the heading's message key (None: no heading, e.g. a calendar button beside today's step);
    `marked` is the class the buttons carry.
    """

    def __init__(
        self,
        make: Callable[[str, str], Download],
        *,
        wording: Wording,
        language: str,
        kinds: Mapping[str, str] | None = None,
        title: str | None = "downloads.title",
        marked: str = "assess-make-download",
    ) -> None:
        self._make = make
        self.labels = labels = Labels(wording, language)
        offered = kinds if kinds is not None else {kind: f"downloads.{kind}" for kind in KINDS}
        heading = [] if title is None else [labels.html(lambda say: f"<h2>{esc(say(title))}</h2>")]
        self.buttons: dict[str, widgets.Button] = {}
        self.links: dict[str, widgets.HTML] = {}
        rows = []
        for kind in KINDS:
            if kind not in offered:
                continue
            make_button = labels.button(offered[kind], classes=(marked, f"{marked}-{kind}"))
            # Bound to its kind here: a forged click names a button, never another file.
            make_button.on_click(lambda _b, kind=kind: self.make(kind))
            link = wording.html()
            self.buttons[kind], self.links[kind] = make_button, link
            rows.append(widgets.HBox([make_button, link], _dom_classes=("assess-download-row",)))
        super().__init__(
            [*heading, *rows],
            layout=FULL_WIDTH,
            _dom_classes=("assess-downloads",),
        )

    @property
    def made(self) -> list[str]:
        """The kinds the person has asked for, in the order shown."""
        return [kind for kind in self.links if self.links[kind].value]

    def make(self, kind: str) -> None:
        """Make the `kind` file in the language shown and offer its link."""
        if kind not in self.links:
            return
        self.links[kind].value = self._make(kind, self.labels.language).link()

    def relabel(self, language: str) -> None:
        """Labels in `language`; files already made are made again in it (their text changes)."""
        self.labels.relabel(language)
        for kind in self.made:
            self.make(kind)
