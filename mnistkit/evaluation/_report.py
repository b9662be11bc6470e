"""Rendering of evaluation results and model comparisons as terminal text and Markdown."""

import math

import numpy as np


def _number(value, digits):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}"


def _seconds(value):
    if value is None:
        return "n/a"
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def text_table(header, rows, align):
    """Lay out ``rows`` under ``header`` in aligned columns.

    ``align`` holds one ``"<"`` or ``">"`` per column. An empty row is a blank line.
    """
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells):
        cells = zip(cells, align, widths, strict=True)
        return "  ".join(f"{c:{a}{w}}" for c, a, w in cells).rstrip()

    return "\n".join([line(header)] + [line(row) if row else "" for row in rows])


def markdown_table(header, rows, align):
    """A GitHub-flavoured Markdown table; ``align`` as for :func:`text_table`."""

    def escape(cell):
        return cell.replace("|", "\\|")

    rule = ["---:" if a == ">" else ":---" for a in align]
    lines = [header, rule, *(row for row in rows if row)]
    return "\n".join("| " + " | ".join(escape(c) for c in line) + " |" for line in lines)


# -- evaluation -----------------------------------------------------------------------


def _evaluation_rows(result, digits, blank_line):
    with_scores = bool(result.roc_auc)
    header = ["label", "precision", "recall", "f1-score", "support"]
    if with_scores:
        header += ["ROC AUC", "avg precision"]
    rows = []
    for j, label in enumerate(result.labels.tolist()):
        row = [
            str(label),
            _number(result.precision[j], digits),
            _number(result.recall[j], digits),
            _number(result.f1[j], digits),
            str(int(result.support[j])),
        ]
        if with_scores:
            row += [
                _number(result.roc_auc[label], digits),
                _number(result.average_precision[label], digits),
            ]
        rows.append(row)
    if blank_line:
        rows.append([])
    for name, avg, key in (
        ("macro avg", result.macro_avg, "macro"),
        ("weighted avg", result.weighted_avg, None),
    ):
        row = [
            name,
            _number(avg["precision"], digits),
            _number(avg["recall"], digits),
            _number(avg["f1"], digits),
            str(avg["support"]),
        ]
        if with_scores:
            row += (
                [
                    _number(result.roc_auc[key], digits),
                    _number(result.average_precision[key], digits),
                ]
                if key
                else ["", ""]
            )
        rows.append(row)
    align = ["<"] + [">"] * (len(header) - 1)
    return header, rows, align


def _summary(result):
    source = f"scores from {result.score_source}" if result.y_score is not None else "no scores"
    if result.y_score is not None and result.score_source is None:
        source = "scores given"
    return f"{result.n_samples} samples, {len(result.labels)} labels; {source}."


def _right(result):
    return int(np.trace(result.confusion_matrix))


def _areas(result, digits):
    """``[(name, "micro ..., macro ...")]`` for ROC AUC and average precision; [] without scores."""
    if not result.roc_auc:
        return []
    return [
        (name, f"micro {_number(areas['micro'], digits)}, macro {_number(areas['macro'], digits)}")
        for name, areas in (("ROC AUC", result.roc_auc),
                            ("Average precision", result.average_precision))
    ]


def _confidence(result, digits):
    """``(auroc, errors)``: the AUROC of confidence, right vs. wrong, and the error
    rates among the most confident answers, as text; None without scores."""
    if result.confidence_auroc is None:
        return None
    auroc = _number(result.confidence_auroc, digits)
    if math.isnan(result.confidence_auroc):
        auroc += " (every answer is right)" if result.accuracy == 1 else (
            " (every answer is wrong)")
    errors = [f"{coverage:.0%} {_number(error, digits)}"
              for coverage, error in result.error_at_coverage.items()]
    errors.append(f"100% {_number(1.0 - result.accuracy, digits)}")
    return auroc, ", ".join(errors)


def evaluation_text(result, *, digits=4, top=10):
    """The terminal report of an :class:`EvaluationResult`."""
    header, rows, align = _evaluation_rows(result, digits, blank_line=True)
    # Labels are right-aligned, as in scikit-learn's classification_report.
    align[0] = ">"
    lines = [
        f"Evaluation of {_summary(result)}",
        "",
        f"Accuracy: {_number(result.accuracy, digits)} "
        f"({_right(result)} of {result.n_samples} right)",
        "",
        text_table(header, rows, align),
    ]
    areas = _areas(result, digits)
    if areas:
        lines += ["", *(f"{name}: {values}" for name, values in areas)]
    confidence = _confidence(result, digits)
    if confidence:
        lines += [
            "",
            f"Confidence (score of the predicted label), right vs. wrong: "
            f"AUROC {confidence[0]}",
            f"Error at coverage (the most confident share kept): {confidence[1]}",
        ]
    confusions = result.top_confusions(top)
    if confusions:
        lines += ["", "Most confused (true -> predicted: count):"]
        lines += [f"  {t} -> {p}: {c}" for t, p, c in confusions]
    return "\n".join(lines)


def evaluation_markdown(result, *, digits=4, top=10):
    """The Markdown report of an :class:`EvaluationResult`."""
    header, rows, align = _evaluation_rows(result, digits, blank_line=False)
    lines = [
        f"**Accuracy:** {_number(result.accuracy, digits)} "
        f"({_right(result)} of {result.n_samples} right)",
        "",
        _summary(result),
        "",
        markdown_table(header, rows, align),
    ]
    areas = _areas(result, digits)
    if areas:
        lines += ["", " ".join(f"**{name}:** {values}." for name, values in areas)]
    confidence = _confidence(result, digits)
    if confidence:
        lines += [
            "",
            f"**Confidence** (score of the predicted label), right vs. wrong: AUROC "
            f"{confidence[0]}. **Error at coverage** (the most confident share kept): "
            f"{confidence[1]}.",
        ]
    confusions = result.top_confusions(top)
    if confusions:
        lines += [
            "",
            "**Most confused** (true -> predicted):",
            "",
            markdown_table(
                ["true", "predicted", "count"],
                [[str(t), str(p), str(c)] for t, p, c in confusions],
                [">", ">", ">"],
            ),
        ]
    return "\n".join(lines)


# -- comparison -----------------------------------------------------------------------


def _comparison_rows(comparison, digits):
    header = ["model", "CV accuracy", "fit s", "predict s", "test accuracy"]
    rows = []
    for entry in comparison.results:
        scores = entry["cv_accuracy"]
        rows.append(
            [
                entry["name"],
                f"{_number(float(scores.mean()), digits)} ± {_number(float(scores.std()), digits)}",
                _seconds(float(entry["fit_time"].mean())),
                _seconds(float(entry["predict_time"].mean())),
                _number(entry["test_accuracy"], digits),
            ]
        )
    return header, rows, ["<", ">", ">", ">", ">"]


def _comparison_note(comparison):
    splitter = getattr(comparison, "splitter", None)
    if splitter is not None:
        return f"{comparison.n_splits} folds of {splitter}; times are seconds per fold."
    note = f"{comparison.n_splits}-fold stratified cross-validation"
    if comparison.random_state is not None:
        note += f" (random_state={comparison.random_state})"
    return note + "; times are seconds per fold."


def comparison_text(comparison, *, digits=4):
    """The terminal table of a :class:`ModelComparison`."""
    return "\n".join(
        [text_table(*_comparison_rows(comparison, digits)), "", _comparison_note(comparison)]
    )


def comparison_markdown(comparison, *, digits=4):
    """The Markdown table of a :class:`ModelComparison`."""
    return "\n".join(
        [markdown_table(*_comparison_rows(comparison, digits)), "", _comparison_note(comparison)]
    )
