"""One plain HTML page that shows an evaluation's report tables and plots together."""

import math
from html import escape

from .._version import __version__
from ..evaluation import CONFIDENCE_NAMES

# The page uses the window's width: a table of contents at the left, and the
# figures side by side where they fit. No script, no file from elsewhere.
_STYLE = """\
* { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; margin: 0; color: #222; line-height: 1.45; }
nav { position: fixed; top: 0; bottom: 0; left: 0; width: 14rem; padding: 1.5rem 1rem;
      background: #f6f7f9; border-right: 1px solid #e3e5e8; overflow-y: auto; }
nav h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: #666;
         margin: 0 0 0.5rem; }
nav ol { list-style: none; padding: 0; margin: 0; }
nav li { margin: 0.25rem 0; } nav a { color: #1f4e8c; text-decoration: none; }
nav a:hover { text-decoration: underline; }
main { margin-left: 14rem; padding: 1.5rem 2.5rem 3rem; }
@media (max-width: 60rem) { nav { position: static; width: auto; border-right: none; }
                            main { margin-left: 0; padding: 1rem; } }
h1 { font-size: 1.6rem; margin: 0 0 0.3rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; }
section { scroll-margin-top: 1rem; }
.lead { color: #444; margin: 0 0 1rem; }
.numbers { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
.number { background: #f6f7f9; border: 1px solid #e3e5e8; border-radius: 6px;
          padding: 0.6rem 1rem; min-width: 11rem; }
.number strong { display: block; font-size: 1.5rem; }
.number span { color: #555; font-size: 0.9rem; }
.columns { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.2rem 0.7rem; border-bottom: 1px solid #ddd; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr));
           gap: 1.5rem; }
.figures.wide { grid-template-columns: 1fr; }
figure { margin: 0; } figure img { width: 100%; height: auto; border: 1px solid #eee; }
.figures:not(.wide) figure img { max-width: 48rem; }
.figures.wide figure img { width: auto; max-width: 100%; }
figcaption { color: #555; font-size: 0.9rem; }
footer { margin-top: 3rem; color: #777; font-size: 0.85rem; }
"""

# The sections of figures, in order: (anchor, heading, [(file stem, caption)], wide).
# dashboard.png holds the same figures on one page: it is linked, not shown again.
_FIGURE_SECTIONS = [
    ("confusion", "Confusion matrix", [
        ("confusion_matrix", "Counts: rows are the true digits, columns the predicted. The "
                             "diagonal (right answers) is grey; the colours span the errors."),
        ("confusion_matrix_normalized", "Each row divided by its total: the share of each "
                                        "digit's images given each answer."),
    ], False),
    ("curves", "ROC and precision/recall curves", [
        ("roc_curves", "ROC curves, one digit against the rest, with the micro- and "
                       "macro-averages."),
        ("precision_recall", "Precision/recall curves, one digit against the rest, with the "
                             "micro- and macro-averages and lines of equal F1."),
    ], False),
    ("confidence", "Confidence: right or wrong?", [
        ("risk_coverage", "Risk against coverage: the answers sorted by the score the model "
                          "gave the predicted digit, most sure first, and the error rate among "
                          "those kept as fewer are set aside. A confidence that tells right "
                          "from wrong keeps the curve low until the right end."),
    ], False),
    ("mistakes", "Mistakes", [
        ("misclassified", "The most confident mistakes, with the model's three best scores "
                          "under each. The number after each title: {confidence}."),
    ], True),
    ("uncertain", "Least confident right answers", [
        ("least_confident", "The right answers the model was least sure of, the mistakes "
                            "it nearly made. The number after each title: {confidence}."),
    ], True),
]


def _number(value, digits=4):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}"


def _table(header, rows):
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table>\n<tr>{head}</tr>\n{body}\n</table>"


def _cell(value):
    """A number of the table: a count in full, a score with four decimals."""
    return str(value) if isinstance(value, int) else _number(value)


def _metrics_table(result):
    """The per-label figures of the evaluation, as its ``to_dict`` gives them."""
    data = result.to_dict(curves=False)
    columns = ["precision", "recall", "f1", "support"]
    header = ["digit", "precision", "recall", "F1", "support"]
    areas = {"roc_auc": "ROC AUC", "average_precision": "average precision"}
    if not result.roc_auc:
        areas = {}
    rows = [[str(entry["label"]), *(_cell(entry[key]) for key in [*columns, *areas])]
            for entry in data["per_label"]]
    for name, key in (("macro avg", "macro_avg"), ("weighted avg", "weighted_avg")):
        # Only the macro-average has areas: the mean of the labels'.
        rows.append([name, *(_cell(data[key][column]) for column in columns),
                     *(_cell(data[area]["macro"]) if key == "macro_avg" else ""
                       for area in areas)])
    return _table(header + list(areas.values()), rows)


def _confusions_table(result, top=10):
    pairs = result.top_confusions(top)
    if not pairs:
        return "<p>No mistakes.</p>"
    return _table(["true digit", "predicted", "count"],
                  [[str(t), str(p), str(c)] for t, p, c in pairs])


def _confidence_text(result):
    """The AUROC of confidence and the error at each coverage; "" without scores."""
    auroc = getattr(result, "confidence_auroc", None)
    if auroc is None:
        return ""
    if math.isnan(auroc):
        every = "right" if result.accuracy == 1 else "wrong"
        summary = f"n/a: every answer is {every}, there is nothing to tell apart"
    else:
        summary = (f"{_number(auroc)}, the chance that a right answer chosen at random has a "
                   f"higher confidence than a wrong one")
    rows = [[f"{coverage:.0%} most confident", _number(error)]
            for coverage, error in result.error_at_coverage.items()]
    rows.append(["all (100%)", _number(1.0 - result.accuracy)])
    return (f"<p>The confidence of an answer is the score the model gave the predicted "
            f"digit. Its AUROC, right against wrong answers: {escape(summary)}. The error "
            f"rate when the least confident answers are set aside:</p>"
            + _table(["answers kept", "error rate"], rows))


def changed_parameters(model):
    """The model's parameters that differ from its class's defaults, sorted by name."""
    params = model.get_params(deep=False)
    try:
        defaults = type(model)().get_params(deep=False)
    except TypeError:  # a class that needs arguments: show them all
        return dict(sorted(params.items()))
    return {key: value for key, value in sorted(params.items())
            if key not in defaults or value != defaults[key]}


def _model_section(model, training):
    rows = [[key, repr(value)] for key, value in changed_parameters(model).items()]
    name = type(model).__name__
    if rows:
        text = (f"<p>{escape(name)}, with these parameters changed from the defaults "
                f"(every other one is the default):</p>" + _table(["parameter", "value"], rows))
    else:
        text = f"<p>{escape(name)} with the default parameters.</p>"
    if training:
        described = ", ".join(f"{key} {value:,}" if isinstance(value, int) else
                              f"{key} {value}" for key, value in training.items())
        text += f"<p>Trained on: {escape(described)}.</p>"
    return text


def _caption(text, confidence):
    if confidence:
        return text.replace("{confidence}", confidence)
    # No scores: no number after the titles, and no best scores under the images.
    text = text.split(" The number after", 1)[0]
    return text.replace(", with the model's three best scores under each", "")


def _figure(name, caption):
    return (f'<figure><img src="{escape(name)}" alt="{escape(caption)}" loading="lazy">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def evaluation_page(result, heading, figures, model=None, training=None):
    """The HTML text of the page; ``figures`` are PNG file names beside it.

    Parameters
    ----------
    result : EvaluationResult
        The evaluation shown.
    heading : str
        A sentence naming the model and the test data.
    figures : list of str
        File names of the plots, relative to the page; each is shown once
        (``dashboard.png``, which repeats the others, is linked).
    model : estimator, default=None
        Its parameters that differ from the defaults are listed when given.
    training : dict, default=None
        How the model was trained, from its file's header.

    Returns
    -------
    html : str
        A complete page, no script, images by relative path.

    Examples
    --------
    >>> from mnistkit.evaluation import EvaluationResult
    >>> result = EvaluationResult.from_predictions([0, 1, 1, 0], [0, 1, 0, 0])
    >>> page = evaluation_page(result, "A test.", ["confusion_matrix.png"])
    >>> '<img src="confusion_matrix.png"' in page, "<script" in page
    (True, False)
    """
    right = int(result.confusion_matrix.trace())
    stems = {name.rsplit(".", 1)[0]: name for name in figures}
    numbers = [
        (f"{result.accuracy:.2%}", f"accuracy ({right:,} of {result.n_samples:,} right)"),
        (f"{result.n_samples - right:,}", "mistakes"),
    ]
    if result.roc_auc:
        numbers += [
            (_number(result.roc_auc["macro"]), "ROC AUC, macro-average"),
            (_number(result.average_precision["macro"]), "average precision, macro"),
        ]
    sections = [
        ("summary", "Summary", None),
        ("per-digit", "Per digit", None),
    ]
    body = [
        '<section id="summary">',
        "<h1>mnistkit evaluation</h1>",
        f'<p class="lead">{escape(heading)}</p>',
        '<div class="numbers">',
        *[f'<div class="number"><strong>{escape(value)}</strong><span>{escape(label)}</span>'
          "</div>" for value, label in numbers],
        "</div>",
    ]
    if result.roc_auc:
        body.append(
            f"<p>Scores from <code>{escape(str(result.score_source))}</code>. ROC AUC micro "
            f"{_number(result.roc_auc['micro'])}; average precision micro "
            f"{_number(result.average_precision['micro'])}.</p>"
        )
    body += [
        "</section>",
        '<section id="per-digit"><h2>Per digit</h2><div class="columns">',
        f"<div>{_metrics_table(result)}</div>",
        f"<div><h3>Most confused digits</h3>{_confusions_table(result)}</div>",
        "</div>",
    ]
    if "class_metrics" in stems:
        body.append('<div class="figures">' + _figure(
            stems.pop("class_metrics"), "Precision, recall and F1 of each digit.") + "</div>")
    body.append("</section>")
    confidence = "" if result.y_score is None else CONFIDENCE_NAMES[result.score_source].meaning
    # Text shown at the top of a section of figures, even without its figures.
    texts = {"confidence": _confidence_text(result)}
    for anchor, title, members, wide in _FIGURE_SECTIONS:
        shown = [(stems.pop(stem), _caption(caption, confidence))
                 for stem, caption in members if stem in stems]
        text = texts.get(anchor, "")
        if not shown and not text:
            continue
        sections.append((anchor, title, None))
        body += [f'<section id="{anchor}"><h2>{escape(title)}</h2>', *([text] if text else [])]
        if shown:
            body += [f'<div class="figures{" wide" if wide else ""}">',
                     *[_figure(name, caption) for name, caption in shown], "</div>"]
        body.append("</section>")
    dashboard = stems.pop("dashboard", None)
    others = sorted(stems.values())
    if others:
        sections.append(("more", "More plots", None))
        body += ['<section id="more"><h2>More plots</h2><div class="figures">',
                 *[_figure(name, name) for name in others], "</div></section>"]
    if model is not None:
        sections.append(("model", "Model", None))
        body += ['<section id="model"><h2>Model</h2>', _model_section(model, training),
                 "</section>"]
    sections.append(("files", "Files", None))
    files = ['<a href="report.txt">report.txt</a>', '<a href="report.md">report.md</a>',
             '<a href="evaluation.json">evaluation.json</a>']
    if dashboard:
        files.append(f'<a href="{escape(dashboard)}">{escape(dashboard)}</a> (the main '
                     "plots on one page)")
    body += ['<section id="files"><h2>Files</h2>', "<p>" + " · ".join(files) + "</p>",
             "</section>",
             f"<footer>Made by mnistkit {escape(__version__)}.</footer>"]
    toc = "\n".join(f'<li><a href="#{anchor}">{escape(title)}</a></li>'
                    for anchor, title, _ in sections)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>mnistkit evaluation: accuracy {_number(result.accuracy)}</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        f'<nav aria-label="Contents"><h2>Contents</h2><ol>\n{toc}\n</ol></nav>',
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
