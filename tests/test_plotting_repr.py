"""Displays in a notebook: a repr that names what matters, and the plot itself as HTML."""

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, roc_auc_score

from mnistkit import load_sample
from mnistkit.evaluation import evaluate
from mnistkit.plotting import (
    ClassMetricsDisplay,
    ComparisonDisplay,
    ConfusionMatrixDisplay,
    DashboardDisplay,
    DigitGridDisplay,
    MisclassifiedDisplay,
    PrecisionRecallDisplay,
    RiskCoverageDisplay,
    RocCurveDisplay,
)


@pytest.fixture(scope="module")
def result():
    X, y = load_sample(return_X_y=True)
    X_test, y_test = load_sample(subset="test", return_X_y=True)
    model = LogisticRegression(max_iter=200).fit(X[:600] / 255, y[:600])
    return evaluate(model, X_test[:300] / 255, y_test[:300])


@pytest.fixture(autouse=True)
def no_figures_left():
    plt.close("all")
    yield
    plt.close("all")


def _all_displays(result):
    return [
        ConfusionMatrixDisplay.from_evaluation(result),
        RocCurveDisplay.from_evaluation(result, name="logistic"),
        PrecisionRecallDisplay.from_evaluation(result),
        ClassMetricsDisplay.from_evaluation(result),
        MisclassifiedDisplay.from_evaluation(result, n=6),
        RiskCoverageDisplay.from_evaluation(result),
        DashboardDisplay.from_evaluation(result),
        DigitGridDisplay(result.images[:8], labels=result.y_true[:8]).plot(),
        ComparisonDisplay(
            [
                {"name": "knn", "cv_accuracy": [0.95, 0.96], "fit_time": [0.1, 0.1]},
                {"name": "svm", "cv_accuracy": [0.97, 0.98], "fit_time": [2.0, 2.4]},
            ]
        ).plot(),
    ]


def _png(html):
    """The picture of an HTML repr, as an array."""
    found = re.search(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert found, html[:200]
    with Image.open(io.BytesIO(base64.b64decode(found.group(1)))) as image:
        return np.asarray(image)


def test_every_display_names_its_class_and_figures(result):
    y_true, y_pred = np.asarray(result.y_true), np.asarray(result.y_pred)
    errors = int((y_true != y_pred).sum())
    reprs = {type(d).__name__: repr(d) for d in _all_displays(result)}
    assert reprs["ConfusionMatrixDisplay"] == (
        f"<ConfusionMatrixDisplay: 10 classes, 300 samples, {errors} misclassified; drawn>"
    )
    micro = roc_auc_score(np.eye(10)[y_true].ravel(), np.asarray(result.y_score).ravel())
    assert reprs["RocCurveDisplay"].startswith(
        f"<RocCurveDisplay: logistic: AUC micro-average {micro:.3f}"
    )
    assert reprs["PrecisionRecallDisplay"].startswith("<PrecisionRecallDisplay: AP micro-average")
    f1 = f1_score(y_true, y_pred, average=None)
    assert reprs["ClassMetricsDisplay"] == (
        f"<ClassMetricsDisplay: 10 classes, mean F1 {f1.mean():.4f}, lowest "
        f"{f1.argmin()} ({f1.min():.4f}); drawn>"
    )
    assert reprs["MisclassifiedDisplay"] == "<MisclassifiedDisplay: 6 mistakes; drawn>"
    assert reprs["RiskCoverageDisplay"].startswith(
        f"<RiskCoverageDisplay: risk {errors / 300:.2%} at full coverage, confidence AUROC"
    )
    assert reprs["DashboardDisplay"] == (
        f"<DashboardDisplay: accuracy {1 - errors / 300:.4f} on 300 samples; drawn>"
    )
    assert reprs["DigitGridDisplay"] == "<DigitGridDisplay: 8 images; drawn>"
    assert reprs["ComparisonDisplay"] == (
        "<ComparisonDisplay: 2 models, best svm (cross-validated accuracy 0.9750); drawn>"
    )
    assert "object at 0x" not in " ".join(reprs.values())


def test_a_display_not_drawn_shows_its_plot_and_leaves_no_figure(result):
    counts = confusion_matrix(result.y_true, result.y_pred)
    display = ConfusionMatrixDisplay(counts)
    assert repr(display) == (
        f"<ConfusionMatrixDisplay: 10 classes, 300 samples, "
        f"{counts.sum() - np.trace(counts)} misclassified; not drawn>"
    )
    html = display._repr_html_()
    picture = _png(html)
    assert picture.ndim == 3
    assert picture.shape[0] > 100
    assert picture.shape[1] > 100
    assert "&lt;ConfusionMatrixDisplay: 10 classes" in html
    assert plt.get_fignums() == []  # the figure drawn for it was closed
    assert not hasattr(display, "figure_")  # and the display is as it was


def test_a_display_drawn_shows_its_own_figure(result):
    display = ConfusionMatrixDisplay.from_evaluation(result)
    buffer = io.BytesIO()
    display.figure_.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    expected = np.asarray(Image.open(buffer))
    # While pyplot holds it open, its backend shows it: the HTML does not repeat it.
    html = display._repr_html_()
    assert "<img" not in html
    assert "ConfusionMatrixDisplay: 10 classes" in html
    # Once closed (as a notebook does after showing it), the HTML shows the picture.
    plt.close(display.figure_)
    shown = _png(display._repr_html_())
    assert shown.shape == expected.shape
    assert np.abs(shown.astype(int) - expected).mean() < 0.1  # the same, but for antialiasing
    assert plt.get_fignums() == []


def test_every_display_shows_a_picture_once_its_figure_is_closed(result):
    displays = _all_displays(result)
    plt.close("all")
    for display in displays:
        assert _png(display._repr_html_()).shape[0] > 50, type(display).__name__
    assert plt.get_fignums() == []


def test_data_that_cannot_be_drawn_is_said_not_raised():
    display = ConfusionMatrixDisplay(np.ones((2, 3)))
    assert repr(display).startswith("<ConfusionMatrixDisplay:")
    html = display._repr_html_()
    assert "Not drawn" in html
    assert "<img" not in html
    assert plt.get_fignums() == []
