"""Tests of mnistkit.plotting: each checks what was drawn, against an independent computation."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import RidgeClassifier
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    precision_recall_fscore_support,
    roc_auc_score,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier

from mnistkit import load_sample
from mnistkit.evaluation import (
    EvaluationResult,
    compare_models,
    confidence_auroc,
    evaluate,
    risk_coverage_curve,
)
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
    _style,
    plot_dashboard,
    plot_digits,
    save_figures,
)

N_TEST = 300


class _PredictOnly(ClassifierMixin, BaseEstimator):
    """A model that predicts the most frequent label, and has no scores."""

    def fit(self, X, y):
        self.classes_, counts = np.unique(y, return_counts=True)
        self.most_frequent_ = self.classes_[counts.argmax()]
        return self

    def predict(self, X):
        return np.full(len(X), self.most_frequent_)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def sample():
    train, test = load_sample(), load_sample(subset="test")
    return train, test


@pytest.fixture(scope="module")
def model(sample):
    train, _ = sample
    return LinearDiscriminantAnalysis(solver="lsqr", shrinkage=0.1).fit(train.data, train.target)


@pytest.fixture(scope="module")
def data(sample):
    _, test = sample
    return test.data[:N_TEST], test.target[:N_TEST]


@pytest.fixture(scope="module")
def result(model, data):
    return evaluate(model, *data)


def _texts(container):
    return [t.get_text() for t in container]


def _legend_texts(ax):
    return _texts(ax.get_legend().get_texts())


# -- confusion matrix --------------------------------------------------------------------


def test_confusion_matrix_cells_show_the_counts(result, model, data):
    plot = ConfusionMatrixDisplay.from_evaluation(result)
    expected = confusion_matrix(data[1], model.predict(data[0]), labels=np.arange(10))
    shown = np.array([[int(t.get_text()) for t in row] for row in plot.text_])
    np.testing.assert_array_equal(shown, expected)
    np.testing.assert_array_equal(plot.im_.get_array(), expected)
    assert _texts(plot.ax_.get_xticklabels()) == [str(d) for d in range(10)]
    assert _texts(plot.ax_.get_yticklabels()) == [str(d) for d in range(10)]
    assert plot.ax_.get_xlabel() == "Predicted digit"
    assert plot.ax_.get_ylabel() == "True digit"
    assert plot.figure_ is plot.ax_.figure
    assert plot.colorbar_ is not None


def test_confusion_matrix_constructors_agree(result, model, data):
    by_estimator = ConfusionMatrixDisplay.from_estimator(model, *data)
    by_predictions = ConfusionMatrixDisplay.from_predictions(data[1], model.predict(data[0]))
    for plot in (by_estimator, by_predictions):
        np.testing.assert_array_equal(plot.confusion_matrix, result.confusion_matrix)


@pytest.mark.parametrize("normalize", ["true", "pred", "all"])
def test_confusion_matrix_normalized_values(result, model, data, normalize):
    plot = ConfusionMatrixDisplay.from_evaluation(result, normalize=normalize)
    expected = confusion_matrix(data[1], model.predict(data[0]), labels=np.arange(10),
                                normalize=normalize)
    np.testing.assert_allclose(plot.values_, expected)
    # The very numbers of the evaluation, drawn from its counts.
    np.testing.assert_array_equal(plot.values_, result.normalized_confusion_matrix(normalize))
    shown = np.array([[float(t.get_text()) for t in row] for row in plot.text_])
    np.testing.assert_allclose(shown, expected, atol=0.0051)
    assert normalize in plot.ax_.get_title() or "all samples" in plot.ax_.get_title()


def test_confusion_matrix_text_colour_follows_the_cell():
    counts = np.array([[90, 0], [5, 40]])
    plot = ConfusionMatrixDisplay(counts).plot(diagonal="show")
    assert plot.text_[0, 0].get_color() == "white"  # darkest cell
    assert plot.text_[1, 0].get_color() == "black"  # light cell
    assert plot.text_[0, 1].get_text() == "0"


def test_confusion_matrix_large_counts_fit():
    plot = ConfusionMatrixDisplay(np.array([[12345, 2], [3, 980]])).plot(values_format=None)
    assert plot.text_[0, 0].get_text() == "12k"
    assert plot.text_[1, 1].get_text() == "980"
    plot = ConfusionMatrixDisplay(np.array([[3, 1], [0, 4]])).plot(
        normalize="true", values_format=".0%"
    )
    assert plot.text_[0, 0].get_text() == "75%"


def test_confusion_matrix_diagonal_masked_or_dimmed(result):
    masked = ConfusionMatrixDisplay.from_evaluation(result, diagonal="mask")
    assert all(masked.text_[i, i] is None for i in range(10))
    assert masked.im_.get_array().mask.diagonal().all()
    off = result.confusion_matrix[~np.eye(10, dtype=bool)]
    # The colour scale covers the errors only, so they stand out.
    assert masked.im_.norm.vmax == off.max()
    dimmed = ConfusionMatrixDisplay.from_evaluation(result, diagonal="dim")
    assert dimmed.text_[3, 3].get_text() == str(result.confusion_matrix[3, 3])
    assert dimmed.im_.norm.vmax == off.max()


def test_confusion_matrix_draws_on_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    plot = ConfusionMatrixDisplay(np.eye(3, dtype=int)).plot(ax=right, colorbar=False)
    assert plot.ax_ is right
    assert plot.figure_ is fig
    assert not left.images
    assert plot.colorbar_ is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"confusion_matrix": np.ones((3, 4))}, r"must be square, got shape \(3, 4\)"),
        ({"confusion_matrix": np.ones(3)}, r"must be square, got shape \(3,\)"),
        ({"confusion_matrix": -np.eye(2)}, "non-negative counts"),
        ({"confusion_matrix": np.eye(2), "display_labels": [0, 1, 2]}, "but 3 display labels"),
    ],
)
def test_confusion_matrix_bad_input(kwargs, message):
    display = ConfusionMatrixDisplay(**kwargs)  # __init__ only stores
    assert display.confusion_matrix is kwargs["confusion_matrix"]
    with pytest.raises(ValueError, match=message):
        display.plot()
    assert plt.get_fignums() == []  # checked before anything is drawn


def test_confusion_matrix_bad_options():
    plot = ConfusionMatrixDisplay(np.eye(2, dtype=int))
    with pytest.raises(ValueError, match="normalize must be one of 'true', 'pred', 'all' or "
                                         "None, got 'bogus'"):
        plot.plot(normalize="bogus")
    with pytest.raises(ValueError, match="diagonal must be one of"):
        plot.plot(diagonal="hide")
    with pytest.raises(ValueError, match="y_true has 3 labels but y_pred has 2 labels"):
        ConfusionMatrixDisplay.from_predictions([0, 1, 1], [0, 1])


# -- curves ------------------------------------------------------------------------------


def test_roc_curves_match_the_evaluation(result, data):
    plot = RocCurveDisplay.from_evaluation(result)
    assert list(plot.lines_) == [*range(10), "micro", "macro"]
    assert len(plot.ax_.get_lines()) == 13  # 12 curves and the chance line
    for key, line in plot.lines_.items():
        fpr, tpr = result.roc_curves[key][:2]
        np.testing.assert_array_equal(line.get_xdata(), fpr)
        np.testing.assert_array_equal(line.get_ydata(), tpr)
    texts = _legend_texts(plot.ax_)
    y_true = data[1]
    for digit in range(10):
        auc = roc_auc_score(y_true == digit, result.y_score[:, digit])
        assert texts[digit] == f"digit {digit} (AUC = {_shown(auc)})"
    assert texts[10] == f"micro-average (AUC = {_shown(result.roc_auc['micro'])})"
    assert texts[11] == f"macro-average (AUC = {_shown(result.roc_auc['macro'])})"
    np.testing.assert_array_equal(plot.chance_line_.get_xydata(), [[0, 0], [1, 1]])


def test_roc_curve_options_and_constructors(result, model, data):
    plot = RocCurveDisplay.from_evaluation(result, classes=[4, 9], macro=False, chance=False)
    assert list(plot.lines_) == [4, 9, "micro"]
    assert plot.chance_line_ is None
    assert to_hex(plot.lines_[4].get_color()) == _style.DIGIT_COLORS[4]
    by_scores = RocCurveDisplay.from_predictions(data[1], model.predict_proba(data[0]))
    by_estimator = RocCurveDisplay.from_estimator(model, *data)
    for plot in (by_scores, by_estimator):
        assert _legend_texts(plot.ax_) == _legend_texts(RocCurveDisplay.from_evaluation(result).ax_)
    with pytest.raises(ValueError, match="has no curve"):
        RocCurveDisplay.from_evaluation(result, classes=[11])


def test_curves_need_scores(data):
    no_scores = EvaluationResult.from_predictions(data[1], data[1][::-1])
    with pytest.raises(ValueError, match="ROC curves need scores"):
        RocCurveDisplay.from_evaluation(no_scores)
    with pytest.raises(ValueError, match="precision/recall curves need scores"):
        PrecisionRecallDisplay.from_evaluation(no_scores)
    with pytest.raises(ValueError, match=r"one column per label, that is shape \(2, 2\), "
                                         r"got shape \(2, 3\)"):
        RocCurveDisplay.from_predictions([0, 1], np.eye(2, 3), labels=[0, 1])
    with pytest.raises(ValueError, match="precision/recall curves need scores, but "
                                         "_PredictOnly has neither"):
        PrecisionRecallDisplay.from_estimator(_PredictOnly().fit(*data), *data)


def test_curves_skip_a_label_absent_from_the_test_set():
    y_true = np.array([0, 1, 0, 1])
    scores = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.5, 0.3, 0.2], [0.3, 0.3, 0.4]])
    result = EvaluationResult.from_predictions(y_true, [0, 1, 0, 2], scores, labels=[0, 1, 2])
    plot = RocCurveDisplay.from_evaluation(result)
    assert list(plot.lines_) == [0, 1, "micro", "macro"]


def test_precision_recall_curves_match_the_evaluation(result, data):
    plot = PrecisionRecallDisplay.from_evaluation(result)
    assert list(plot.lines_) == [*range(10), "micro", "macro"]
    for key, line in plot.lines_.items():
        # The macro-average too: the curve evaluation computed (tested there).
        precision, recall = result.pr_curves[key][:2]
        np.testing.assert_array_equal(line.get_xdata(), recall)
        np.testing.assert_array_equal(line.get_ydata(), precision)
        assert line.get_drawstyle() == "steps-post"
    texts = _legend_texts(plot.ax_)
    for digit in range(10):
        ap = average_precision_score(data[1] == digit, result.y_score[:, digit])
        assert texts[digit] == f"digit {digit} (AP = {_shown(ap)})"
    assert texts[10] == f"micro-average (AP = {_shown(result.average_precision['micro'])})"
    macro_ap = average_precision_score(np.eye(10)[data[1]], result.y_score, average="macro")
    assert texts[11] == f"macro-average (AP = {_shown(macro_ap)})"
    assert plot.iso_f1_lines_ == []
    assert plot.ax_.get_xlabel() == "Recall"


def test_precision_recall_iso_f1_lines(result):
    plot = PrecisionRecallDisplay.from_evaluation(result, iso_f1=(0.5, 0.9), classes=False,
                                                  macro=False)
    assert list(plot.lines_) == ["micro"]
    assert len(plot.iso_f1_lines_) == 2
    for f1, line in zip((0.5, 0.9), plot.iso_f1_lines_, strict=True):
        recall, precision = line.get_xdata(), line.get_ydata()
        np.testing.assert_allclose(2 * precision * recall / (precision + recall), f1)
        assert precision.max() <= 1.0


def test_curve_constructors_agree_and_compute_only_what_they_draw(result, model, data,
                                                                  monkeypatch):
    from mnistkit.evaluation import _curves

    # From a model, the ROC display asks for scores only (no predict) and computes
    # ROC curves only; the precision/recall display, its own curves only.
    def refuse(*args, **kwargs):
        msg = "computed what the plot does not draw"
        raise AssertionError(msg)

    monkeypatch.setattr(model, "predict", refuse)
    for display, other in ((RocCurveDisplay, "precision_recall"),
                           (PrecisionRecallDisplay, "roc")):
        with monkeypatch.context() as patch:
            patch.setitem(_curves.KINDS, other, (refuse, refuse, refuse))
            by_estimator = display.from_estimator(model, *data)
            by_scores = display.from_predictions(data[1], model.predict_proba(data[0]))
        by_result = display.from_evaluation(result)
        for plot in (by_estimator, by_scores):
            assert _legend_texts(plot.ax_) == _legend_texts(by_result.ax_)
            for key, line in by_result.lines_.items():
                np.testing.assert_array_equal(plot.lines_[key].get_xydata(), line.get_xydata())
    # The other plots of a model compute no curve; those of counts ask for no score.
    monkeypatch.undo()
    for kind in _curves.KINDS:
        monkeypatch.setitem(_curves.KINDS, kind, (refuse, refuse, refuse))
    mistakes = MisclassifiedDisplay.from_estimator(model, *data, n=3)
    assert _texts(mistakes.titles_) == _texts(MisclassifiedDisplay.from_evaluation(
        result, n=3).titles_)
    RiskCoverageDisplay.from_estimator(model, *data)
    monkeypatch.setattr(model, "predict_proba", refuse)
    cm = ConfusionMatrixDisplay.from_estimator(model, *data, normalize="true")
    np.testing.assert_array_equal(cm.values_, result.normalized_confusion_matrix("true"))
    ClassMetricsDisplay.from_estimator(model, *data)


def test_several_models_share_one_axes_by_name(result, model, data):
    first = RocCurveDisplay.from_evaluation(result, name="LDA", classes=False)
    scores = model.predict_proba(data[0])[:, ::-1].copy()  # a worse model: columns swapped
    second = RocCurveDisplay.from_predictions(data[1], scores, name="swapped", classes=False,
                                              ax=first.ax_)
    assert second.ax_ is first.ax_
    assert second.figure_ is first.figure_
    texts = _legend_texts(first.ax_)
    assert texts[0].startswith("LDA: micro-average (AUC = ")
    assert texts[1].startswith("LDA: macro-average (AUC = ")
    assert texts[2].startswith("swapped: micro-average (AUC = ")
    assert len(texts) == 4
    # Each model's averages share a colour, and the two models' colours differ.
    assert first.lines_["micro"].get_color() == first.lines_["macro"].get_color()
    assert first.lines_["micro"].get_color() != second.lines_["micro"].get_color()
    pr = PrecisionRecallDisplay.from_evaluation(result, name="LDA", classes=[3])
    assert _legend_texts(pr.ax_)[0].startswith("LDA: digit 3 (AP = ")


def test_matplotlib_keywords_reach_the_artists(result, sample):
    cm = ConfusionMatrixDisplay.from_evaluation(
        result, im_kw={"cmap": "Reds", "interpolation": "bilinear"},
        text_kw={"fontsize": 15, "fontstyle": "italic"},
    )
    assert cm.im_.get_cmap().name.startswith("Reds")
    assert cm.im_.get_interpolation() == "bilinear"
    assert cm.text_[0, 1].get_fontsize() == 15
    assert cm.text_[0, 1].get_fontstyle() == "italic"
    roc = RocCurveDisplay.from_evaluation(result, line_kw={"linewidth": 4.5})
    assert {line.get_linewidth() for line in roc.lines_.values()} == {4.5}
    risk = RiskCoverageDisplay.from_evaluation(result, line_kw={"linestyle": ":"})
    assert risk.line_.get_linestyle() == ":"
    bars = ClassMetricsDisplay.from_evaluation(result, bar_kw={"edgecolor": "black"})
    assert to_hex(bars.bars_["f1"][0].get_edgecolor()) == "#000000"
    _, test = sample
    grid = DigitGridDisplay(test.images[:2]).plot(im_kw={"cmap": "viridis"})
    assert grid.images_[0].get_cmap().name == "viridis"
    points = ComparisonDisplay(_comparison_results()).plot(errorbar_kw={"markersize": 12})
    assert points.errorbars_["fast"].lines[0].get_markersize() == 12


@pytest.mark.parametrize(
    "cls",
    [ConfusionMatrixDisplay, RocCurveDisplay, PrecisionRecallDisplay, ClassMetricsDisplay,
     DigitGridDisplay, MisclassifiedDisplay, DashboardDisplay, ComparisonDisplay,
     RiskCoverageDisplay],
)
def test_constructors_have_explicit_signatures(cls):
    import inspect

    constructors = [name for name in dir(cls) if name.startswith("from_")]
    assert constructors
    for name in [*constructors, "plot"]:
        parameters = inspect.signature(getattr(cls, name)).parameters.values()
        assert all(p.kind is not p.VAR_KEYWORD for p in parameters), (cls, name)
        # Every parameter of plot can be given to every constructor.
        if name != "plot" and cls is not DashboardDisplay:
            plot_names = set(inspect.signature(cls.plot).parameters) - {"self"}
            assert plot_names <= {p.name for p in parameters}, (cls, name)


def _text_sizes(figure):
    figure.canvas.draw()
    from matplotlib.text import Text

    return [t.get_fontsize() for t in figure.findobj(Text) if t.get_text() and t.get_visible()]


@pytest.mark.parametrize(
    "draw",
    [
        lambda r: ConfusionMatrixDisplay.from_evaluation(r),
        lambda r: RocCurveDisplay.from_evaluation(r),
        lambda r: PrecisionRecallDisplay.from_evaluation(r, iso_f1=True),
        lambda r: ClassMetricsDisplay.from_evaluation(r),
        lambda r: MisclassifiedDisplay.from_evaluation(r, top_k=2),
        lambda r: DigitGridDisplay.from_evaluation(r, select="least_confident"),
        lambda r: ComparisonDisplay(_comparison_results()).plot(),
        lambda r: DashboardDisplay.from_evaluation(r),
        lambda r: RiskCoverageDisplay.from_evaluation(r, name="LDA"),
    ],
    ids=["confusion", "roc", "pr", "metrics", "mistakes", "grid", "comparison", "dashboard",
         "risk"],
)
def test_font_sizes_follow_rcparams(result, draw):
    sizes = {}
    for base in (10.0, 16.0):
        with plt.rc_context({"font.size": base}):
            sizes[base] = _text_sizes(draw(result).figure_)
    assert len(sizes[10.0]) > 5
    # Every text scales with the base size: none has a size of its own in points.
    # (Compared as sets: larger fonts can mean fewer tick labels.)
    small = {round(size * 1.6, 3) for size in sizes[10.0]}
    large = {round(size, 3) for size in sizes[16.0]}
    assert small == large


def test_curve_input_checked():
    curves = {0: ([0, 1], [0, 0.5, 1])}
    display = RocCurveDisplay(curves, {0: 0.5}, labels=[0])  # __init__ only stores
    assert display.curves is curves
    with pytest.raises(ValueError, match="equal length"):
        display.plot()
    with pytest.raises(ValueError, match="roc_auc is missing"):
        RocCurveDisplay({0: ([0, 1], [0, 1])}, {}, labels=[0]).plot()
    with pytest.raises(ValueError, match="curves must be keyed by the labels"):
        PrecisionRecallDisplay({7: ([1, 0], [0, 1])}, {7: 0.5}, labels=[0, 1]).plot()
    assert plt.get_fignums() == []  # checked before anything is drawn
    # An average the data does not hold is not drawn.
    plot = PrecisionRecallDisplay({0: ([0.5, 1], [1, 0])}, {0: 0.8}, labels=[0]).plot()
    assert list(plot.lines_) == [0]


# -- risk-coverage -----------------------------------------------------------------------


def test_risk_coverage_line_is_the_curve(result, model, data):
    plot = RiskCoverageDisplay.from_evaluation(result)
    coverage, risk, _ = risk_coverage_curve(data[1], result.y_pred,
                                            model.predict_proba(data[0]).max(axis=1))
    np.testing.assert_allclose(plot.line_.get_xdata(), coverage)
    np.testing.assert_allclose(plot.line_.get_ydata(), risk)
    assert plot.ax_.get_lines() == [plot.line_]
    assert plot.figure_ is plot.ax_.figure
    auroc = confidence_auroc(data[1], result.y_pred, model.predict_proba(data[0]).max(axis=1))
    assert _legend_texts(plot.ax_) == [f"AUROC = {_shown(auroc)}"]
    # Both axes read in percent; risk from 0 to above the highest point.
    assert plot.ax_.xaxis.get_major_formatter()(0.5) == "50%"
    assert plot.ax_.get_ylim()[0] == 0.0
    assert plot.ax_.get_ylim()[1] >= risk.max()


def test_risk_coverage_constructors_agree(result, model, data):
    by_estimator = RiskCoverageDisplay.from_estimator(model, *data)
    by_predictions = RiskCoverageDisplay.from_predictions(
        data[1], model.predict(data[0]), model.predict_proba(data[0]).max(axis=1))
    by_result = RiskCoverageDisplay.from_evaluation(result)
    for plot in (by_estimator, by_predictions):
        np.testing.assert_allclose(plot.line_.get_xydata(), by_result.line_.get_xydata())
        assert _legend_texts(plot.ax_) == _legend_texts(by_result.ax_)
    display = RiskCoverageDisplay(coverage=[0.5, 1.0], risk=[0.0, 0.25]).plot()
    np.testing.assert_array_equal(display.line_.get_xydata(), [[0.5, 0.0], [1.0, 0.25]])
    assert display.ax_.get_legend() is None  # neither a name nor an AUROC: nothing to say


def test_risk_coverage_of_decision_values_uses_the_predicted_labels_score(sample, data):
    train, _ = sample
    ridge = RidgeClassifier().fit(train.data, train.target)
    plot = RiskCoverageDisplay.from_estimator(ridge, *data)
    values = ridge.decision_function(data[0])
    predicted = ridge.predict(data[0])
    chosen = values[np.arange(len(predicted)), np.searchsorted(ridge.classes_, predicted)]
    coverage, risk, _ = risk_coverage_curve(data[1], predicted, chosen)
    np.testing.assert_allclose(plot.line_.get_xdata(), coverage)
    np.testing.assert_allclose(plot.line_.get_ydata(), risk)


def test_several_models_share_one_risk_coverage_axes(result, sample, data):
    train, _ = sample
    ridge = RidgeClassifier().fit(train.data, train.target)
    first = RiskCoverageDisplay.from_evaluation(result, name="LDA")
    second = RiskCoverageDisplay.from_estimator(ridge, *data, name="ridge", ax=first.ax_)
    assert second.ax_ is first.ax_
    assert second.figure_ is first.figure_
    assert first.ax_.get_lines() == [first.line_, second.line_]
    ridge_result = evaluate(ridge, *data)
    assert _legend_texts(first.ax_) == [
        f"LDA (AUROC = {_shown(result.confidence_auroc)})",
        f"ridge (AUROC = {_shown(ridge_result.confidence_auroc)})",
    ]
    assert first.line_.get_color() != second.line_.get_color()
    # The axes show both curves whole.
    top = max(result.risk_coverage_curve[1].max(), ridge_result.risk_coverage_curve[1].max())
    assert first.ax_.get_ylim()[1] >= top
    # plot's name= overrides the display's.
    again = RiskCoverageDisplay(coverage=[1.0], risk=[0.5], name="old").plot(name="new")
    assert _legend_texts(again.ax_) == ["new"]


def test_risk_coverage_input_checked(data):
    no_scores = EvaluationResult.from_predictions(data[1], data[1][::-1])
    with pytest.raises(ValueError, match="Risk-coverage curves need scores"):
        RiskCoverageDisplay.from_evaluation(no_scores)
    with pytest.raises(ValueError, match="two 1-D arrays of equal length"):
        RiskCoverageDisplay(coverage=[0.5, 1.0], risk=[0.1]).plot()
    with pytest.raises(ValueError, match="risk must hold shares between 0 and 1, got values "
                                         "from 0 to 12"):
        RiskCoverageDisplay(coverage=[0.5, 1.0], risk=[0, 12]).plot()
    with pytest.raises(ValueError, match="confidence has 2 values but y_pred has 3 answers"):
        RiskCoverageDisplay.from_predictions([0, 1, 1], [0, 1, 0], [0.5, 0.5])


# -- digit grids -------------------------------------------------------------------------


def test_digit_grid_images_and_titles(sample):
    _, test = sample
    images, labels = test.images[:12], test.target[:12]
    predictions = labels.copy()
    predictions[[2, 7]] = (labels[[2, 7]] + 1) % 10
    grid = plot_digits(images, labels, predictions, n_cols=5)
    assert grid.axes_.shape == (3, 5)
    assert len(grid.images_) == 12
    for k, image in enumerate(grid.images_):
        np.testing.assert_array_equal(image.get_array(), images[k])
    assert [ax.axison for ax in grid.axes_.ravel()] == [True] * 12 + [False] * 3
    for k, title in enumerate(grid.titles_):
        assert title.get_text() == f"{labels[k]} → {predictions[k]}"
        expected = _style.ERROR_COLOR if k in (2, 7) else _style.CORRECT_COLOR
        assert to_hex(title.get_color()) == expected
    assert np.flatnonzero(grid.mistakes_).tolist() == [2, 7]
    assert to_hex(grid.axes_[0, 2].spines["top"].get_edgecolor()) == _style.ERROR_COLOR
    assert "mistakes in red" in grid.suptitle_.get_text()


def test_digit_grid_rows_of_pixels_and_labels_only(sample):
    _, test = sample
    grid = DigitGridDisplay(test.data[:4], labels=test.target[:4]).plot()
    np.testing.assert_array_equal(grid.images_[3].get_array(), test.images[3])
    assert _texts(grid.titles_) == [str(d) for d in test.target[:4]]
    assert grid.mistakes_ is None
    assert DigitGridDisplay(test.images[:2]).plot().titles_ == []


def test_digit_grid_on_given_axes(sample):
    _, test = sample
    fig, (_, right) = plt.subplots(1, 2)
    grid = plot_digits(test.images[:6], ax=right, n_cols=3, title="six digits")
    assert grid.figure_ is fig
    assert grid.axes_.shape == (2, 3)
    assert right.get_title() == "six digits"
    assert not right.axison
    fig, axes = plt.subplots(2, 2)
    grid = plot_digits(test.images[:4], ax=axes)
    assert grid.axes_[1, 1] is axes[1, 1]
    with pytest.raises(ValueError, match="got 4 axes for a grid of 1x5 images"):
        plot_digits(test.images[:5], ax=axes, n_cols=5)


def test_digit_grid_from_evaluation_and_estimator(result, model, data):
    grid = DigitGridDisplay.from_evaluation(result, n=8)
    np.testing.assert_array_equal(grid.images_[5].get_array(), data[0][5].reshape(28, 28))
    assert grid.titles_[5].get_text() == f"{result.y_true[5]} → {result.y_pred[5]}"
    grid = DigitGridDisplay.from_estimator(model, *data, n=8)
    assert _texts(grid.titles_) == _texts(DigitGridDisplay.from_evaluation(result, n=8).titles_)


def test_digit_grid_bad_input(sample):
    _, test = sample
    with pytest.raises(ValueError, match="got 10 images but 9 labels"):
        plot_digits(test.images[:10], test.target[:9])
    with pytest.raises(ValueError, match="got 3 images but 2 predictions"):
        plot_digits(test.images[:3], test.target[:3], [1, 2])
    with pytest.raises(ValueError, match="not square"):
        plot_digits(np.zeros((2, 10)))
    with pytest.raises(ValueError, match="got no images"):
        plot_digits(np.zeros((0, 28, 28)))


def test_misclassified_most_confident_first(result):
    plot = MisclassifiedDisplay.from_evaluation(result, n=6, top_k=3)
    wrong = result.misclassified
    assert len(plot.images_) == 6
    for k in range(6):
        index = wrong["index"][k]
        np.testing.assert_array_equal(plot.images_[k].get_array(), result.images[index])
        assert plot.titles_[k].get_text() == (
            f"{wrong['true'][k]} → {wrong['predicted'][k]} ({wrong['confidence'][k]:.2f})"
        )
        assert to_hex(plot.titles_[k].get_color()) == _style.ERROR_COLOR
        scores = result.y_score[index]
        top = np.argsort(scores)[::-1][:3]
        assert plot.xlabels_[k].get_text() == "\n".join(
            f"{result.labels[j]}: {scores[j]:.2f}" for j in top
        )
    confidences = [float(t.get_text().split("(")[1].rstrip(")")) for t in plot.titles_]
    assert confidences == sorted(confidences, reverse=True)
    assert plot.figure_.get_suptitle() == "Most confident mistakes: true → predicted (probability)"


def test_misclassified_constructors_and_errors(result, model, data):
    by_estimator = MisclassifiedDisplay.from_estimator(model, *data, n=4)
    by_predictions = MisclassifiedDisplay.from_predictions(
        data[0], data[1], model.predict(data[0]), model.predict_proba(data[0]), n=4
    )
    expected = _texts(MisclassifiedDisplay.from_evaluation(result, n=4).titles_)
    assert _texts(by_estimator.titles_) == expected
    assert _texts(by_predictions.titles_) == expected
    no_scores = EvaluationResult.from_predictions(
        result.y_true, result.y_pred, images=result.images
    )
    plot = MisclassifiedDisplay.from_evaluation(no_scores, n=3)
    first = no_scores.misclassified
    assert plot.titles_[0].get_text() == f"{first['true'][0]} → {first['predicted'][0]}"
    with pytest.raises(ValueError, match="top_k needs the scores"):
        MisclassifiedDisplay.from_evaluation(no_scores, top_k=3)
    without_images = EvaluationResult.from_predictions(result.y_true, result.y_pred)
    with pytest.raises(ValueError, match="needs images"):
        MisclassifiedDisplay.from_evaluation(without_images)
    with pytest.raises(ValueError, match="got 2 images but 1 labels"):
        MisclassifiedDisplay(np.zeros((2, 28, 28)), [1], [2]).plot()


def test_misclassified_without_mistakes(sample):
    _, test = sample
    plot = MisclassifiedDisplay(test.images[:0], [], []).plot()
    assert plot.images_ == []
    assert plot.axes_[0, 0].texts[0].get_text() == "No mistakes"


# -- per-class metrics and model comparison ----------------------------------------------


def test_class_metrics_bars_match_scikit_learn(result, model, data):
    plot = ClassMetricsDisplay.from_evaluation(result)
    precision, recall, f1, support = precision_recall_fscore_support(
        data[1], model.predict(data[0]), labels=np.arange(10), zero_division=0
    )
    for name, expected in (("precision", precision), ("recall", recall), ("f1", f1)):
        heights = [bar.get_height() for bar in plot.bars_[name]]
        np.testing.assert_allclose(heights, expected)
    assert _legend_texts(plot.ax_) == ["Precision", "Recall", "F1"]
    assert _texts(plot.ax_.get_xticklabels())[4] == f"4\n(n={support[4]})"
    assert plot.ax_.get_ylim()[1] == 1.0
    assert plot.ax_.get_ylim()[0] <= min(precision.min(), recall.min(), f1.min())
    by_estimator = ClassMetricsDisplay.from_estimator(model, *data)
    np.testing.assert_allclose(by_estimator.f1, f1)
    whole = ClassMetricsDisplay.from_predictions([0, 1, 1], [0, 1, 0], ymin=0)
    assert whole.ax_.get_ylim() == (0, 1.0)
    with pytest.raises(ValueError, match="got 2 labels but 3 precision"):
        ClassMetricsDisplay([1, 1, 1], [1, 1], [1, 1], labels=[0, 1]).plot()


def _comparison_results():
    return [
        {"name": "fast", "cv_accuracy": np.array([0.80, 0.84]), "fit_time": np.array([0.1, 0.3]),
         "predict_time": np.array([0.5, 0.5]), "test_accuracy": 0.83},
        {"name": "slow", "cv_accuracy": np.array([0.90, 0.94]), "fit_time": np.array([3.0, 5.0]),
         "predict_time": np.array([0.1, 0.1]), "test_accuracy": None},
        {"name": "bad", "cv_accuracy": np.array([0.70, 0.70]), "fit_time": np.array([8.0, 8.0]),
         "predict_time": np.array([0.1, 0.1]), "test_accuracy": None},
    ]


def test_comparison_points_and_spread():
    results = _comparison_results()
    plot = ComparisonDisplay(results).plot()
    assert list(plot.errorbars_) == ["fast", "slow", "bad"]
    for row in results:
        container = plot.errorbars_[row["name"]]
        line = container.lines[0]
        np.testing.assert_allclose(line.get_xdata(), [row["fit_time"].mean()])
        np.testing.assert_allclose(line.get_ydata(), [row["cv_accuracy"].mean()])
        # The vertical bar spans one standard deviation over the folds.
        segments = [seg for coll in container.lines[2] for seg in coll.get_segments()]
        vertical = next(s for s in segments if s[0][0] == s[1][0])
        np.testing.assert_allclose(
            sorted(vertical[:, 1]),
            row["cv_accuracy"].mean() + np.array([-1, 1]) * row["cv_accuracy"].std(),
        )
        assert plot.annotations_[row["name"]].get_text() == row["name"]
    # The Pareto front joins "fast" and "slow"; "bad" is slower and worse.
    np.testing.assert_allclose(plot.front_line_.get_xdata(), [0.2, 4.0])
    assert plot.ax_.get_xscale() == "log"
    assert plot.ax_.get_xlabel() == "Fit time per fold (s)"
    predict = ComparisonDisplay(results).plot(time="predict_time", xscale="linear")
    assert predict.errorbars_["fast"].lines[0].get_xdata()[0] == 0.5


def test_comparison_from_compare_models(data):
    X, y = data
    comparison = compare_models(
        X, y, models={"bayes": GaussianNB(var_smoothing=0.1), "knn": KNeighborsClassifier(3)},
        cv=2, verbose=False,
    )
    plot = ComparisonDisplay.from_comparison(comparison)
    for row in comparison.results:
        np.testing.assert_allclose(
            plot.errorbars_[row["name"]].lines[0].get_ydata(), [row["cv_accuracy"].mean()]
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r[0].pop("fit_time"), "has no fit_time"),
        (lambda r: r[1].update(fit_time=np.ones(3)), "2 fold accuracies but 3 fold times"),
        (lambda r: r[2].update(name="fast"), "names must be unique"),
        (lambda r: r.clear(), "no models to compare"),
    ],
)
def test_comparison_bad_input(change, message):
    results = _comparison_results()
    change(results)
    display = ComparisonDisplay(results)  # __init__ only stores
    with pytest.raises(ValueError, match=message):
        display.plot()


def test_comparison_axes_read_as_percent_and_seconds():
    plot = ComparisonDisplay(_comparison_results()).plot()
    plot.figure_.canvas.draw()
    labels = [t.get_text() for t in plot.ax_.get_yticklabels() if t.get_text()]
    assert labels
    assert all(label.endswith("%") for label in labels)
    assert plot.ax_.yaxis.get_major_formatter()(0.9, 0) == "90%"
    x_labels = [t.get_text() for t in [*plot.ax_.get_xticklabels(),
                                       *plot.ax_.get_xticklabels(minor=True)] if t.get_text()]
    assert x_labels
    assert not [label for label in x_labels if "times" in label or "^" in label], x_labels
    # One decade: minor ticks are labelled too, as plain numbers.
    narrow = [{"name": "a", "cv_accuracy": [0.9], "fit_time": [0.2]},
              {"name": "b", "cv_accuracy": [0.95], "fit_time": [0.6]}]
    plot = ComparisonDisplay(narrow).plot()
    plot.figure_.canvas.draw()
    minor = [t.get_text() for t in plot.ax_.get_xticklabels(minor=True) if t.get_text()]
    assert {"0.3", "0.4"} <= set(minor), minor


def test_comparison_bad_time():
    with pytest.raises(ValueError, match="time must be 'fit_time' or 'predict_time'"):
        ComparisonDisplay(_comparison_results()).plot(time="score_time")


# -- dashboard and files -----------------------------------------------------------------


def test_dashboard_png_has_the_expected_size(result, tmp_path):
    dashboard = plot_dashboard(result, figsize=(10, 8))
    assert dashboard.roc_curve_ is not None
    assert dashboard.precision_recall_ is not None
    assert len(dashboard.misclassified_.images_) == 12
    assert dashboard.class_metrics_ is None
    np.testing.assert_array_equal(dashboard.confusion_matrix_.im_.get_array().data,
                                  result.confusion_matrix)
    assert f"{result.accuracy:.2%}" in dashboard.figure_.get_suptitle()
    path = dashboard.savefig(tmp_path / "page.png", dpi=50)
    assert path.exists()
    height, width = plt.imread(path).shape[:2]
    assert (width, height) == (500, 400)
    for suffix in ("svg", "pdf"):
        assert dashboard.savefig(tmp_path / f"page.{suffix}").stat().st_size > 1000
    with pytest.raises(ValueError, match="got 'jpg'"):
        dashboard.savefig(tmp_path / "page.jpg")


def _panel_title(dashboard):
    return next(t.get_text() for t in dashboard.figure_.findobj(matplotlib.text.Text)
                if t.get_text().startswith("Most confident mistakes"))


def test_dashboard_mistakes_say_what_their_number_is(result, data):
    with_proba = plot_dashboard(result)
    assert "number: the probability the model gave the predicted digit" in _panel_title(
        with_proba)
    # A model with decision values only: its mistakes ranked, in every plot, as in
    # the evaluation's own list, by the decision value of the predicted digit.
    ridge = RidgeClassifier(alpha=10.0).fit(*data)
    noisy = evaluate(ridge, data[0][::-1], data[1])  # labels shuffled: many mistakes
    assert noisy.score_source == "decision_function"
    dashboard = plot_dashboard(noisy)
    assert "number: the decision value the model gave the predicted digit" in _panel_title(
        dashboard)
    scores = ridge.decision_function(data[0][::-1])
    predicted = ridge.predict(data[0][::-1])
    chosen = scores[np.arange(len(predicted)), predicted]
    wrong = np.flatnonzero(predicted != data[1])
    expected = wrong[np.argsort(-chosen[wrong], kind="stable")][:12]
    np.testing.assert_array_equal(noisy.misclassified["index"][:12], expected)
    shown = [float(t.get_text().split("(")[1].rstrip(")"))
             for t in dashboard.misclassified_.titles_]
    np.testing.assert_allclose(shown, np.round(chosen[expected], 2), atol=0.006)
    for k, index in enumerate(expected):
        np.testing.assert_array_equal(dashboard.misclassified_.images_[k].get_array(),
                                      noisy.images[index])
    grid = DigitGridDisplay.from_evaluation(noisy, n=12, select="mistakes")
    assert _texts(grid.titles_) == _texts(dashboard.misclassified_.titles_)
    assert grid.suptitle_.get_text().endswith("(decision value)")


def test_digit_grid_of_least_confident_right_answers(result):
    grid = DigitGridDisplay.from_evaluation(result, n=5, select="least_confident")
    proba = result.y_score[np.arange(result.n_samples), result.y_pred]
    right = np.flatnonzero(result.y_true == result.y_pred)
    expected = right[np.argsort(proba[right], kind="stable")][:5]
    for k, index in enumerate(expected):
        np.testing.assert_array_equal(grid.images_[k].get_array(), result.images[index])
        assert grid.titles_[k].get_text() == (
            f"{result.y_true[index]} → {result.y_pred[index]} ({proba[index]:.2f})")
    assert not grid.mistakes_.any()
    assert grid.suptitle_.get_text() == (
        "Least confident right answers: true → predicted (probability)")
    mistakes = DigitGridDisplay.from_evaluation(result, n=4, select="mistakes")
    assert mistakes.mistakes_.all()
    no_scores = EvaluationResult.from_predictions(result.y_true, result.y_pred,
                                                  images=result.images)
    with pytest.raises(ValueError, match="least_confident' needs scores"):
        DigitGridDisplay.from_evaluation(no_scores, select="least_confident")
    with pytest.raises(ValueError, match="select must be one of"):
        DigitGridDisplay.from_evaluation(result, select="worst")


def test_dashboard_without_scores_shows_class_metrics(result):
    no_scores = EvaluationResult.from_predictions(result.y_true, result.y_pred,
                                                  images=result.images)
    dashboard = DashboardDisplay.from_evaluation(no_scores, n_mistakes=4)
    assert dashboard.roc_curve_ is None
    assert dashboard.class_metrics_ is not None
    assert len(dashboard.misclassified_.images_) == 4
    bare = DashboardDisplay.from_predictions(result.y_true, result.y_pred, title="bare")
    assert bare.misclassified_ is None
    assert bare.figure_.get_suptitle() == "bare"


def test_save_figures_writes_every_plot(result, tmp_path):
    paths = save_figures(result, tmp_path / "figures", formats=("png", "svg"))
    names = {path.name for path in paths}
    for name in ("dashboard", "confusion_matrix", "confusion_matrix_normalized",
                 "roc_curves", "precision_recall", "class_metrics", "misclassified",
                 "least_confident", "risk_coverage"):
        assert {f"{name}.png", f"{name}.svg"} <= names
    assert all(path.stat().st_size > 0 for path in paths)
    assert plt.get_fignums() == []  # every figure it made is closed
    with pytest.raises(ValueError, match="'png', 'svg' or 'pdf', got 'gif'"):
        save_figures(result, tmp_path, formats=("gif",))


def test_plotting_imports_no_pyplot_and_never_shows(result, monkeypatch):
    code = "import sys, mnistkit.plotting; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"

    def show(*args, **kwargs):
        msg = "plt.show() was called"
        raise AssertionError(msg)

    monkeypatch.setattr(plt, "show", show)
    plot_dashboard(result)


def test_old_names_warn_and_name_the_new_ones():
    import mnistkit
    import mnistkit.plotting

    for module in (mnistkit, mnistkit.plotting):
        with pytest.warns(FutureWarning, match="RocCurvePlot is deprecated.*use RocCurveDisplay"):
            old = module.RocCurvePlot
        assert old is RocCurveDisplay
    with pytest.warns(FutureWarning, match="use ConfusionMatrixDisplay instead"):
        from mnistkit import ConfusionMatrixPlot
    assert ConfusionMatrixPlot is ConfusionMatrixDisplay
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchPlot'"):
        _ = mnistkit.NoSuchPlot
    # Displays added since 0.1 never had an old name.
    with pytest.raises(AttributeError, match="has no attribute 'RiskCoveragePlot'"):
        _ = mnistkit.RiskCoveragePlot
    assert not [name for name in mnistkit.__all__ if name.endswith("Plot")]


def _shown(score):
    # Legends show four decimals at 0.99 and above, where three would all read 1.000.
    return f"{score:.4f}" if score >= 0.99 else f"{score:.3f}"


def test_curves_zoom_on_a_near_perfect_model():
    from mnistkit import PrecisionRecallDisplay, RocCurveDisplay
    from mnistkit.evaluation import EvaluationResult

    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), 50)
    scores = np.eye(3)[y] * 5 + rng.normal(0, 0.5, (150, 3))
    result = EvaluationResult.from_predictions(y, scores.argmax(axis=1), scores)
    assert min(result.roc_auc.values()) >= 0.99
    roc = RocCurveDisplay.from_evaluation(result)
    assert roc.zoomed_
    assert roc.ax_.get_xscale() == "log"
    assert roc.ax_.get_ylim()[0] == pytest.approx(0.9)
    assert "(log scale)" in roc.ax_.get_xlabel()
    pr = PrecisionRecallDisplay.from_evaluation(result)
    assert pr.zoomed_
    assert pr.ax_.get_xlim()[0] == pytest.approx(0.9)
    flat = RocCurveDisplay.from_evaluation(result, zoom=False)
    assert not flat.zoomed_
    assert flat.ax_.get_xscale() == "linear"
    with pytest.raises(ValueError, match="zoom must be True, False or 'auto', got 'yes'"):
        RocCurveDisplay.from_evaluation(result, zoom="yes")
