"""One plain HTML page that shows an evaluation's report tables and plots together."""

import math
from html import escape

from .._version import __version__

_STYLE = """\
body { font-family: system-ui, sans-serif; max-width: 68rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { padding: 0.2rem 0.7rem; border-bottom: 1px solid #ddd; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
figure { margin: 1rem 0 2rem; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9rem; }
.accuracy { font-size: 1.3rem; }
"""

# File stem of each plot -> its caption, in the order shown.
_CAPTIONS = {
    "dashboard": "Summary: confusion matrix, curves and the most confident mistakes.",
    "confusion_matrix": "Confusion matrix: rows are the true digits, columns the predicted.",
    "confusion_matrix_normalized": "Confusion matrix, each row divided by its total (recall "
                                   "on the diagonal).",
    "class_metrics": "Precision, recall and F1 of each digit.",
    "roc_curves": "ROC curves, one digit against the rest.",
    "precision_recall": "Precision/recall curves, one digit against the rest.",
    "misclassified": "The most confident mistakes.",
    "digits": "Test images with their predicted digit.",
}


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


def _metrics_table(result):
    with_scores = bool(result.roc_auc)
    header = ["digit", "precision", "recall", "F1", "support"]
    if with_scores:
        header += ["ROC AUC", "average precision"]
    rows = []
    for j, label in enumerate(result.labels.tolist()):
        row = [
            str(label), _number(result.precision[j]), _number(result.recall[j]),
            _number(result.f1[j]), str(int(result.support[j])),
        ]
        if with_scores:
            row += [_number(result.roc_auc.get(label)),
                    _number(result.average_precision.get(label))]
        rows.append(row)
    for name, average in (("macro avg", result.macro_avg), ("weighted avg", result.weighted_avg)):
        row = [name, _number(average["precision"]), _number(average["recall"]),
               _number(average["f1"]), str(average["support"])]
        if with_scores:
            row += (
                [_number(result.roc_auc.get("macro")),
                 _number(result.average_precision.get("macro"))]
                if name == "macro avg" else ["", ""]
            )
        rows.append(row)
    return _table(header, rows)


def _confusions_table(result, top=10):
    pairs = result.top_confusions(top)
    if not pairs:
        return "<p>No mistakes.</p>"
    return _table(["true digit", "predicted", "count"],
                  [[str(t), str(p), str(c)] for t, p, c in pairs])


def evaluation_page(result, heading, figures, model=None):
    """The HTML text of the page; ``figures`` are PNG file names beside it.

    Parameters
    ----------
    result : EvaluationResult
        The evaluation shown.
    heading : str
        A sentence naming the model and the test data.
    figures : list of str
        File names of the plots, relative to the page.
    model : estimator, default=None
        Its parameters are listed when given.

    Returns
    -------
    html : str
        A complete page, no script, images by relative path.

    Examples
    --------
    >>> from mnistkit.evaluation import EvaluationResult
    >>> result = EvaluationResult.from_predictions([0, 1, 1, 0], [0, 1, 0, 0])
    >>> page = evaluation_page(result, "A test.", ["dashboard.png"])
    >>> '<img src="dashboard.png"' in page, "<script" in page
    (True, False)
    """
    right = int(result.confusion_matrix.trace())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>mnistkit evaluation: accuracy {_number(result.accuracy)}</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        "<h1>mnistkit evaluation</h1>",
        f"<p>{escape(heading)}</p>",
        f'<p class="accuracy">Accuracy <strong>{_number(result.accuracy)}</strong> '
        f"({right:,} of {result.n_samples:,} test images right).</p>",
    ]
    if result.roc_auc:
        parts.append(
            f"<p>ROC AUC: micro {_number(result.roc_auc['micro'])}, macro "
            f"{_number(result.roc_auc['macro'])}. Average precision: micro "
            f"{_number(result.average_precision['micro'])}, macro "
            f"{_number(result.average_precision['macro'])}. Scores from "
            f"{escape(str(result.score_source))}.</p>"
        )
    parts += [
        "<h2>Per digit</h2>", _metrics_table(result),
        "<h2>Most confused digits</h2>", _confusions_table(result),
    ]
    known = [name for name in figures if name.rsplit(".", 1)[0] in _CAPTIONS]
    order = list(_CAPTIONS)
    known.sort(key=lambda name: order.index(name.rsplit(".", 1)[0]))
    others = [name for name in figures if name not in known]
    if figures:
        parts.append("<h2>Plots</h2>")
    for name in known + others:
        caption = _CAPTIONS.get(name.rsplit(".", 1)[0], name)
        parts.append(
            f'<figure><img src="{escape(name)}" alt="{escape(caption)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>"
        )
    if model is not None:
        params = model.get_params(deep=False)
        parts += [
            "<h2>Model</h2>",
            _table(["parameter", "value"],
                   [[key, repr(value)] for key, value in sorted(params.items())]),
        ]
    parts += [
        "<h2>Files</h2>",
        '<p><a href="report.txt">report.txt</a> · <a href="report.md">report.md</a> · '
        '<a href="evaluation.json">evaluation.json</a></p>',
        f"<p><small>Made by mnistkit {escape(__version__)}.</small></p>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
