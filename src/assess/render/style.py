"""The quiz's look, as one style sheet: readable at phone width, visible focus, no web fonts."""

HEADINGS = """<style>
/* Titles and headings break between phrases, and never before a small kana, a long-vowel mark
   or closing punctuation (行頭禁則): at phone width the title broke as 「セルフチ／ェック」, the
   facilitator's as 「（フ／ァシリテーター用）」. */
:is(.assess-app, .assess-facilitator) :is(h1, h2, h3, h4, summary),
.assess-app .assess-today b { line-break: strict; word-break: auto-phrase; }
</style>"""
"""Line breaking of headings, for the quiz and the facilitator's view alike."""

STYLE = (
    """<style>
.assess-app { max-width: 46rem; margin: 0 auto; padding: 0 0.75rem 3rem; box-sizing: border-box;
  font-family: system-ui, -apple-system, "Hiragino Sans", "Noto Sans JP", "Yu Gothic", sans-serif;
  font-size: 16px; line-height: 1.7; color: #1f2933; }
/* ipywidgets give every box `overflow: auto` and every widget a 2px side margin, so a 100%-wide
   child made its box scroll sideways by 4px at phone width: let the margins show instead. */
.assess-app, .assess-app .widget-box { overflow: visible; }
/* ipywidgets also set 13px text with a 28px line height on every widget, which overrode the
   16px above (13px text on a phone, muted notes larger than the text they annotate). */
.assess-app .jupyter-widgets, .assess-app .widget-html-content,
.assess-app .widget-radio-box label, .assess-app .widget-text input[type] { font-size: inherit; }
.assess-app .widget-html-content { line-height: inherit; }
.assess-app h1.assess-title { font-size: 1.35rem; margin: 0.5rem 0; line-height: 1.4; }
.assess-app h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
.assess-app h3 { font-size: 1.05rem; margin: 1rem 0 0.25rem; }
.assess-header { flex-wrap: wrap; justify-content: space-between; align-items: center;
  gap: 0.5rem; }
.assess-language .widget-toggle-button { width: auto; min-width: 5.5rem; }
.assess-question { border-left: 4px solid #d9e2ec; padding: 0.25rem 0 0.5rem 0.75rem;
  margin: 0.75rem 0; }
.assess-question.assess-unanswered { border-left-color: #c44536; background: #fff5f5; }
.assess-question .widget-radio-box { flex-direction: column; }
.assess-question .widget-radio-box label { white-space: normal; line-height: 1.5;
  padding: 0.3rem 0; min-height: 1.5rem; }
.assess-question .widget-radio-box input { margin-right: 0.5rem; transform: scale(1.2); }
.assess-question .widget-radio { width: 100%; }
/* A checkbox's label (keep on this device, consent to save) wraps: ipywidgets clip it to one
   28px line, cut off with an ellipsis at phone width. */
.assess-app .widget-checkbox { height: auto; line-height: 1.5; }
.assess-app .widget-checkbox .widget-label-basic { white-space: normal; overflow: visible;
  font-size: inherit; line-height: 1.5; display: flex; align-items: flex-start;
  padding: 0.3rem 0; }
.assess-app .widget-checkbox input[type="checkbox"] { flex-grow: 0; align-self: flex-start;
  margin: 0.3rem 0.6rem 0 0.1rem; transform: scale(1.2); }
.assess-q { margin: 0.25rem 0; }
.assess-flag { color: #c44536; }
.assess-progress { margin: 0.25rem 0 0; }
.assess-bar { width: 100%; height: 0.6rem; accent-color: #2a6f97; display: block; }
.assess-nav { justify-content: space-between; margin-top: 1rem; gap: 0.5rem; }
.assess-app .assess-button { min-height: 2.75rem; min-width: 8rem; font-size: 1rem;
  width: auto; max-width: 100%; padding: 0 1rem; align-self: flex-start; flex-shrink: 0; }
.assess-app :focus-visible { outline: 3px solid #2a6f97 !important; outline-offset: 2px; }
.assess-alert { color: #8a1c1c; font-weight: 600; }
.assess-muted { color: #52606d; font-size: 0.92rem; }
.assess-card { border: 1px solid #d9e2ec; border-radius: 8px; padding: 0.75rem 1rem;
  margin: 0.75rem 0; }
.assess-headline { margin: 0; }
.assess-score { font-size: 2rem; font-weight: 700; }
.assess-band { display: inline-block; margin-left: 0.5rem; padding: 0 0.6rem; border-radius: 1rem;
  background: #e4e7eb; font-weight: 600; }
.assess-facet { margin: 0.4rem 0; }
.assess-facet summary { cursor: pointer; }
/* Since last time: the verdict is in the words; the edge colour only repeats it. */
.assess-since-lines { list-style: none; padding-left: 0; }
.assess-since-lines li { border-left: 4px solid #9e9e9e; padding-left: 0.5rem; margin: 0.3rem 0; }
.assess-since-lines li.assess-since-facet { margin-left: 1rem; }
.assess-since-lines li.assess-since-better { border-left-color: #4c956c; }
.assess-since-lines li.assess-since-worse { border-left-color: #e9a03b; }
/* A kept result's buttons name its date: the text wraps rather than run off a phone. */
.assess-kept .widget-button { width: auto; max-width: 100%; height: auto; min-height: 2.25rem;
  white-space: normal; }
.assess-step { border-left: 4px solid #4c956c; padding-left: 0.75rem; margin: 0.75rem 0; }
.assess-step h4 { margin: 0.25rem 0; font-size: 1rem; }
.assess-help-urgent { border: 2px solid #c44536; border-radius: 8px; padding: 0.5rem 1rem;
  background: #fff5f5; }
/* Jupyter's styles make links look like text: the help lines must look (and be easy to tap)
   like what they are. */
.assess-app a { color: #1d5f8a; text-decoration: underline; }
.assess-help ul { padding-left: 1.2rem; }
.assess-help li { margin: 0.4rem 0; }
.assess-help-urgent h2 { margin-top: 0.5rem; }
/* The small "help now" on every page: one tap opens the quiet list of places to turn to. */
.assess-help-now { font-size: 0.92rem; margin: 0 0 0.25rem; }
.assess-help-now summary { cursor: pointer; color: #1d5f8a; text-decoration: underline;
  display: inline-block; min-height: 1.75rem; }
.assess-help a[href^="tel:"] { display: inline-block; min-height: 1.75rem; padding: 0 0.2rem;
  font-weight: 600; white-space: nowrap; }
.assess-download { display: inline-block; margin: 0.25rem 0.75rem 0.25rem 0; color: #1d5f8a;
  text-decoration: underline; }
.assess-code input { font-family: ui-monospace, monospace; }
.assess-copy { min-height: 2.25rem; padding: 0 1rem; }
.assess-disclaimer { background: #f0f4f8; padding: 0.5rem 0.75rem; border-radius: 6px; }
/* The first screen of the results: where the person stands, and today's step. */
.assess-standing { margin: 0.25rem 0; padding-left: 1.2rem; }
.assess-today { margin: 0.25rem 0 0.5rem; }
.assess-summary { border-left: 4px solid #4c956c; padding-left: 0.75rem; margin: 0.5rem 0; }
.assess-summary h2 { margin: 0.75rem 0 0.25rem; }
.assess-survey-skipped, .assess-assumed { color: #52606d; }
/* Printing the result (Ctrl+P): the whole result once, on as many sheets as it takes, without
   the controls.  It lives here, in the quiz's own style, so that every page the quiz is shown
   in prints alike: Voilà's and the static site's, whose cells scroll inside fixed-height boxes
   (`#rendered_cells`, 900px high, printed one sheet). */
@media print {
  html, body, #main, #jp-main-content-panel, #rendered_cells, #rendered_cells > div,
  .jp-Notebook, .jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea, .jp-OutputArea-child,
  .jp-OutputArea-output, .jp-WindowedPanel-outer, .jp-WindowedPanel-inner,
  .jp-WindowedPanel-viewport, .lm-Widget:has(.assess-app), .assess-app,
  .assess-app .widget-box, .assess-app .widget-output, .assess-app .widget-html,
  .assess-app .widget-html-content {
    height: auto !important; max-height: none !important; min-height: 0 !important;
    overflow: visible !important; position: static !important; contain: none !important;
  }
  /* Flex boxes print badly: a section kept whole on the next sheet was drawn over by the
     one after it.  On paper the widgets' boxes are plain blocks (no specificity, so that the
     controls hidden below stay hidden). */
  :where(.assess-app .widget-box, .assess-app .lm-Widget) { display: block !important; }
  #main, #jp-main-content-panel, #rendered_cells { width: auto !important; }
  #rendered_cells > div { box-shadow: none !important; padding: 0 !important; }
  .assess-app { max-width: none; padding: 0; }
  /* Folded sections print open: the facets' details with their answers. */
  .assess-app details::details-content { content-visibility: visible !important;
    display: block !important; }
  /* Controls, and the folded copies of the help list (printed once, open, as
     .assess-print-only): the small link of every page and the quiet list under the result. */
  .assess-app :is(button, input, textarea, .jupyter-button, .widget-button,
  .widget-toggle-buttons, .widget-text, .widget-checkbox, .assess-language, .assess-nav,
  .assess-progress-box, .assess-notice, .assess-save, .assess-code, .assess-restore,
  .assess-help-now-box, details.assess-help-quiet, .assess-downloads, .assess-compare) {
    display: none !important;
  }
  .assess-print-only { display: block !important; }
  .assess-card, .assess-step, .assess-help li, .assess-facet, .assess-summary {
    break-inside: avoid; }
  .assess-app h2, .assess-app h3, .assess-app h4 { break-after: avoid; }
  .assess-app a { color: inherit; }
}
@media (max-width: 480px) {
  .assess-app { padding: 0 0.25rem 2rem; }
  .assess-app .assess-button { min-width: 6rem; }
  .assess-score { font-size: 1.6rem; }
}
</style>"""
    + HEADINGS
)
