"""Small ipywidgets components of the quiz.  They hold state in traitlets and do no I/O.

A visitor can forge widget messages, so every value that arrives from the page is checked here
or in the app before it is used (a disabled button is no guard).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import ipywidgets as widgets
import traitlets
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from assess.core.messages import Messages
from assess.core.model import Item, ProfileQuestion, Text
from assess.render.help import esc as esc  # re-exported: the widgets escape with it

_LAYOUT_PROPERTIES = tuple(widgets.Layout.class_own_traits())

W = TypeVar("W", bound=widgets.Widget)


class FrozenLayout(widgets.Layout):  # type: ignore[misc]
    """A layout that refuses every change once made, so that it can be shared safely.

    One layout model shared by many widgets saves a message to the page per widget, but a
    change to it (``row.layout.display = "none"``) changes every widget that shares it: hiding
    one row once hid a whole view.  A change raises :class:`traitlets.TraitError`, in the kernel
    and from a forged message alike; a widget whose layout changes needs one of its own
    (:func:`full_width`).
    """

    _frozen: dict[str, object] | None = None
    """The properties as made: set once construction is over, compared with every change."""

    def __init__(self, **properties: object) -> None:
        super().__init__(**properties)
        self._frozen = {name: getattr(self, name) for name in _LAYOUT_PROPERTIES}

    @traitlets.validate(*_LAYOUT_PROPERTIES)
    def _refuse_changes(self, proposal: traitlets.Bunch) -> object:
        # Compared with the value as made, not the current one: a message from the page sets
        # its values first and validates them together afterwards.
        name = proposal["trait"].name
        if self._frozen is not None and proposal["value"] != self._frozen[name]:
            raise traitlets.TraitError(
                f"a shared layout cannot change ({name}); give the widget a layout of its own"
            )
        return proposal["value"]


FULL_WIDTH = FrozenLayout(width="100%")
"""The full width, shared (and frozen): for widgets whose layout never changes."""

HIDDEN = FrozenLayout(display="none")
"""Never shown, shared (and frozen): for elements only the page's script reads or fills."""


def full_width() -> widgets.Layout:
    """A full-width layout of the widget's own, for one that is hidden or resized later."""
    return widgets.Layout(width="100%")


@dataclass(frozen=True)
class SharedStyles:
    """One style model per kind of widget, shared by every question of a quiz.

    Each ipywidgets control otherwise brings a style model of its own, which the page must
    receive like any widget: sharing them halves the messages a page of questions costs.
    """

    html: HTMLStyle = field(default_factory=HTMLStyle)
    choices: DescriptionStyle = field(default_factory=DescriptionStyle)
    button: ButtonStyle = field(default_factory=ButtonStyle)
    layout: widgets.Layout = field(default_factory=FrozenLayout)
    """For widgets with no layout of their own (frozen: it cannot change after creation)."""


@dataclass(frozen=True)
class Wording:
    """What every part of a page is made with and relabelled from: the wording in each language
    and the shared styles.  One value, handed down from the quiz to each part."""

    messages: Messages
    styles: SharedStyles

    def text(self, key: str, language: str, /, **values: object) -> str:
        return self.messages.text(key, language, **values)

    def html(
        self, value: str = "", *, layout: widgets.Layout | None = None, classes: Sequence[str] = ()
    ) -> widgets.HTML:
        """An HTML widget in the shared style; the shared frozen layout unless one is given."""
        return widgets.HTML(
            value,
            layout=self.styles.layout if layout is None else layout,
            style=self.styles.html,
            _dom_classes=tuple(classes),
        )

    def button(
        self,
        description: str,
        *,
        primary: bool = False,
        own_layout: bool = False,
        classes: Sequence[str] = (),
    ) -> widgets.Button:
        """A button in the shared style (see :func:`button`)."""
        return button(
            description, primary=primary, styles=self.styles, own_layout=own_layout, classes=classes
        )


@dataclass(frozen=True, slots=True)
class Say:
    """The wording in one language: ``say("save.title")`` is that message in `language`."""

    wording: Wording
    language: str

    def __call__(self, key: str, /, **values: object) -> str:
        return self.wording.text(key, self.language, **values)


Label = str | Callable[[Say], str]
"""A text a widget shows: a message key, or how to make the text from the wording in a language
(for markup around messages, or names from the question bank)."""


class Labels:
    """The texts of one part of a page, each bound to the widget property that shows it.

    A part is made in the person's language and relabelled in place when they switch (what they
    ticked, typed or were told stays): :meth:`relabel` says every text made through here again,
    so none is left behind in the other language.  Each widget is made with its text already
    set, since a change after creation is one more message to the page.
    """

    def __init__(self, wording: Wording, language: str) -> None:
        self.wording = wording
        self.say = Say(wording, language)
        self._shown: list[tuple[widgets.Widget, str, Label]] = []

    @property
    def language(self) -> str:
        return self.say.language

    def text(self, label: Label) -> str:
        """`label` in the language shown."""
        return self.say(label) if isinstance(label, str) else label(self.say)

    def made(
        self, make: Callable[..., W], /, texts: Mapping[str, Label], **properties: object
    ) -> W:
        """``make(**properties)`` with each property named in `texts` showing that text."""
        widget = make(**{name: self.text(label) for name, label in texts.items()}, **properties)
        self._shown += [(widget, name, label) for name, label in texts.items()]
        return widget

    def html(self, label: Label, **options: Any) -> widgets.HTML:
        """An HTML widget showing `label`; `options` as for :meth:`Wording.html`."""
        return self.made(self.wording.html, {"value": label}, **options)

    def button(self, label: Label, **options: Any) -> widgets.Button:
        """A button labelled `label`; `options` as for :meth:`Wording.button`."""
        return self.made(self.wording.button, {"description": label}, **options)

    def tick_box(self, label: Label, *, classes: Sequence[str]) -> widgets.Checkbox:
        """A box the person ticks to agree (to saving, to keeping): unticked until they do."""
        return self.made(
            widgets.Checkbox,
            {"description": label},
            value=False,
            indent=False,
            layout=FULL_WIDTH,
            _dom_classes=tuple(classes),
        )

    def code_field(self, *, classes: Sequence[str]) -> widgets.Text:
        """A one-line box to paste a result code (or a progress key) into: wide enough for one,
        no wider, as on the welcome page and under a result."""
        return self.made(
            widgets.Text,
            {"placeholder": "restore.placeholder"},
            layout=widgets.Layout(width="100%", max_width="32em"),
            _dom_classes=tuple(classes),
        )

    def relabel(self, language: str) -> None:
        """Every text made here, now in `language`."""
        self.say = Say(self.wording, language)
        for widget, name, label in self._shown:
            setattr(widget, name, self.text(label))


class ChoiceQuestion(widgets.VBox):  # type: ignore[misc]
    """One question with its options as radio buttons.  `value` is the option value or None.

    Every widget is created with its classes, labels and text already set: a change after
    creation is one more message to the page (they were 40 % of what Start sent)."""

    value = traitlets.Any(None, allow_none=True)
    flagged = traitlets.Bool(False)

    def __init__(
        self,
        *,
        question_id: str,
        number: int,
        text: Text,
        options: Sequence[tuple[Text, object]],
        language: str,
        styles: SharedStyles | None = None,
    ) -> None:
        styles = styles or SharedStyles()
        self.question_id = question_id
        self.number = number
        self.text = text
        self.option_texts = [label for label, _ in options]
        self.option_values = [value for _, value in options]
        self._language = language
        self.prompt = widgets.HTML(
            value=self._prompt_html(language, flagged=False),
            layout=FULL_WIDTH,
            style=styles.html,
            _dom_classes=("assess-question-text",),
        )
        self.choices = widgets.RadioButtons(
            options=self._labelled(language),
            value=None,
            layout=FULL_WIDTH,
            style=styles.choices,
            _dom_classes=("assess-choices",),
        )
        self.choices.observe(self._on_choice, names="value")
        super().__init__(
            [self.prompt, self.choices], layout=FULL_WIDTH, _dom_classes=("assess-question",)
        )

    @classmethod
    def for_item(
        cls, item: Item, *, number: int, language: str, styles: SharedStyles | None = None
    ) -> ChoiceQuestion:
        return cls(
            question_id=item.id,
            number=number,
            text=item.text,
            options=[(option.label, option.value) for option in item.scale.options],
            language=language,
            styles=styles,
        )

    @classmethod
    def for_profile(
        cls,
        question: ProfileQuestion,
        *,
        number: int,
        language: str,
        styles: SharedStyles | None = None,
    ) -> ChoiceQuestion:
        return cls(
            question_id=question.id,
            number=number,
            text=question.text,
            options=[(option.label, option.code) for option in question.options],
            language=language,
            styles=styles,
        )

    def _labelled(self, language: str) -> list[tuple[str, object]]:
        return [
            (label.in_language(language), value)
            for label, value in zip(self.option_texts, self.option_values, strict=True)
        ]

    def relabel(self, language: str) -> None:
        """Show the question in another language, keeping the answer."""
        if language == self._language:
            return
        kept = self.value
        self.choices.unobserve(self._on_choice, names="value")
        self.choices.options = self._labelled(language)
        self.choices.value = kept if kept in self.option_values else None
        self.choices.observe(self._on_choice, names="value")
        self._language = language
        self.prompt.value = self._prompt_html(language, flagged=self.flagged)

    def _prompt_html(self, language: str, *, flagged: bool) -> str:
        marker = ' <span class="assess-flag" aria-hidden="true">●</span>' if flagged else ""
        return (
            f'<p class="assess-q" id="q-{esc(self.question_id)}"><b>{self.number}.</b> '
            f"{esc(self.text.in_language(language))}{marker}</p>"
        )

    @traitlets.observe("flagged")
    def _on_flag(self, _change: object) -> None:
        self.prompt.value = self._prompt_html(self._language, flagged=self.flagged)
        if self.flagged:
            self.add_class("assess-unanswered")
        else:
            self.remove_class("assess-unanswered")

    def _on_choice(self, change: dict[str, object]) -> None:
        value = change["new"]
        # A forged message can carry anything: only listed values count.
        self.value = value if value in self.option_values else None
        if self.value is not None:
            self.flagged = False

    @traitlets.observe("value")
    def _on_value(self, change: dict[str, object]) -> None:
        value = change["new"]
        if value is not None and value not in self.option_values:
            self.value = None
            return
        if self.choices.value != value:
            self.choices.value = value


class QuestionPage(widgets.VBox):  # type: ignore[misc]
    """A page of questions; `answers` maps question ids to the values chosen on it."""

    answers = traitlets.Dict()

    def __init__(self, questions: Sequence[ChoiceQuestion]) -> None:
        self.questions = list(questions)
        for question in self.questions:
            question.observe(self._collect, names="value")
        super().__init__(self.questions, layout=FULL_WIDTH, _dom_classes=("assess-page",))
        self._collect()

    @property
    def ids(self) -> list[str]:
        return [q.question_id for q in self.questions]

    def unanswered(self) -> list[ChoiceQuestion]:
        return [q for q in self.questions if q.value is None]

    def flag_unanswered(self) -> None:
        for question in self.questions:
            question.flagged = question.value is None

    def fill(self, values: Mapping[str, object]) -> None:
        """Replace the answers (e.g. restored from a result code): a question missing from
        `values` becomes unanswered; values not among a question's options are dropped."""
        for question in self.questions:
            question.value = values.get(question.question_id)

    def relabel(self, language: str) -> None:
        for question in self.questions:
            question.relabel(language)

    def _collect(self, _change: object = None) -> None:
        self.answers = {q.question_id: q.value for q in self.questions if q.value is not None}


def button(
    description: str,
    *,
    primary: bool = False,
    styles: SharedStyles | None = None,
    own_layout: bool = False,
    classes: Sequence[str] = (),
) -> widgets.Button:
    """A button; `own_layout` for one whose layout changes (e.g. hidden on some pages);
    `classes` are added to its own at creation (a class added later is one more message)."""
    return widgets.Button(
        description=description,
        button_style="primary" if primary else "",
        style=styles.button if styles else ButtonStyle(),
        layout=styles.layout if styles and not own_layout else widgets.Layout(),
        _dom_classes=("assess-button", *classes),
    )
