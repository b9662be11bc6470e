"""How sure MNISTClassifier is, and whether it knows a digit when it sees one.

For each model, this benchmark measures two things. First, how well the
model's *confidence* (the top of ``predict_proba``) separates its right
answers from its wrong ones, on MNIST and on digits read from picture files.
Second, how well ``assess`` (its verdicts "digit", "unsure" and "not a
digit") rejects pictures that are not digits at all, and how many real digits
it rejects on the way.

The data sets, one table each, one row per model:

``MNIST``
    ``--split validation`` (the default): the models are fitted on 50,000 of
    the 60,000 training images and scored on the other 10,000 (the stratified
    ``train_test_split`` of seed 0 that ``bench_probability.py`` and
    ``bench_augment.py`` use). ``--split test``: fitted on all 60,000, scored
    on the 10,000 test images; measure that once, for the documentation,
    after choosing on validation.
``real-world pictures``
    ``bench_real_world.py``'s degraded pictures (phone photos under three
    lightings, 8-14 pixel sources, thick and thin strokes, rotated, coloured,
    inverted; its several-digit numbers are left out) and its digits typeset
    from the installed fonts, written to files and read back with
    ``read_digit_image``.
``other writers``
    ``bench_other_writers.py``'s conditions (scikit-learn's ``load_digits``,
    typeset digits, MNIST digits redrawn with a marker, a ballpoint, a mouse,
    a drawing pad), each cut tight and with a margin, read the same way.
``non-digits``
    Letters, words, signs, shapes, faces, scribbles, blank and shaded paper,
    noise and textures from ``_non_digits.py``, read the same way.

The MNIST digits behind the real-world and redrawn pictures are ``--n`` of the
split's evaluation images: validation images for ``--split validation`` (so
that choosing settings never looks at the test set), test images for
``--split test``. A picture the reader turns down (``ValueError``: no digit
found) counts as rejected as "not a digit", by the reader.

The columns:

- *accuracy*: the share of pictures whose prediction (the top of
  ``predict_proba``) is the digit shown; a picture the reader turned down is
  wrong.
- *AUROC*: ``roc_auc_score(right, confidence)`` over the images read: the
  chance that a right answer is more confident than a wrong one (1 is
  perfect, 0.5 is chance).
- *err@95%*, *err@98%*, *err@99%*: the error rate among the 95% (98%, 99%) of
  the images read that the model is most sure of; where confidences tie at
  the cut, the tied images count in proportion (the expected error of a
  random choice among them).
- *ECE*: expected calibration error, the gap between confidence and accuracy
  averaged over 15 equal-width bins of confidence, weighted by their images.
- *not a digit*: the share rejected, by the reader or by ``assess``;
  *reader*: by the reader alone; *unsure*: the share ``assess`` calls unsure.
- *acc. accepted*: the accuracy among the pictures ``assess`` calls "digit",
  of which there are *accepted*.
- For non-digits: *rejected* (reader or "not a digit"), *at least unsure*
  (also "unsure"), *conf < MNIST 1%*: the share the reader turns down or
  whose confidence is below the 1st percentile of the model's confidences on
  the MNIST images (a cut on confidence alone that keeps 99% of MNIST's
  digits: what ``assess`` is up against), the AUROCs of low novelty and of
  confidence for telling the MNIST images from the non-digits read, and the
  digits the non-digits called "digit" are taken for, most often first.
- Time: fit seconds; milliseconds per MNIST image of ``predict``,
  ``predict_proba`` and ``assess`` (one batch each, in this run) and
  assess's time over predict's.

The ``assess`` columns show "n/a" for a model without ``assess`` (a random
forest, or a mnistkit that does not have it yet).

*Ranking scores on MNIST validation* (``--candidates``; on by default with
``--split validation``, a few seconds a model) is where the score behind the
confidence is chosen (``mnistkit/classifier/_confidence.py``). For each
``probability="fast"`` model, already fitted, one row per candidate score of
the evaluation images, and the AUROC and errors at coverage above, with right
and wrong taken from the model's prediction: the temperature's top
probability (what mnistkit 0.x printed); the top-two margin of the decision
values; the library's ranking score (for libsvm's one-vs-one SVM, the
*weakest win*, the smallest of the predicted digit's nine pairwise decision
values; for other models, the top-two margin again); the library's
confidence, the top of ``predict_proba``, which should rank as the row above
(a line under the table says whether it does, and which images it ties: its
floor, just above 1/10, ties the very lowest); the *distance ratio*, log(distance to
the nearest training image of another digit / distance to the nearest of the
predicted digit) in the model's feature space, among a stratified 15,000 of
the training images; the ranking score and distance ratio combined by a
logistic regression, cross-fitted (fitted on one half of the evaluation
images and scoring the other, and the other way round); and the predicted
digit's ranking score averaged over the image and its views turned by -8 and
+8 degrees (a reading that holds only as the digit stands is in doubt). The
last column is the time of the work the score needs beyond what ``predict``
already does on its way (features, decision values, ranking score, the
temperature's and ``predict_proba``'s probabilities): a max or a sort at most
for the first four; the neighbour search for the next two (indexing the
training images, once, and fitting the logistic are not counted); turning
the images and scoring both views for the last.

Usage::

    export MNISTKIT_DATA_DIR=/path/to/mnist
    python benchmarks/bench_confidence.py                      # default and writers
    python benchmarks/bench_confidence.py --model default --model sgd --model rf
    python benchmarks/bench_confidence.py --model default --train-size 10000 \\
        --n-mnist 2000 --n 20 --n-per-kind 10                 # a quick run, ~1 minute
    python benchmarks/bench_confidence.py --model default --sets  # MNIST only, ~30 s
    python benchmarks/bench_confidence.py --split test --json confidence.json --markdown
    python benchmarks/bench_confidence.py --model default.mnistkit --split test

``--model`` (repeatable): ``default`` is ``MNISTClassifier(probability="fast",
random_state=0)``; ``writers`` adds ``augment="writers"`` (the model
``mnistkit train`` writes); ``sgd`` is ``MNISTClassifier(backend="sgd",
probability="fast", random_state=0)``; ``rf`` is ``MNISTClassifier(
backend="rf", random_state=0)``; anything else is a model file, used as it is
(with ``--split validation``, a model trained on all 60,000 training images
has seen the validation images: its MNIST rows flatter it). Fitted models are
reused for every data set. ``--sets`` picks the picture sets (MNIST always
runs: the others' thresholds and times come from it); ``--by-condition``
prints each picture condition's accuracy and rejections too; ``--no-candidates``
leaves out the ranking-score tables; ``--json FILE``
writes every number; ``--pictures DIR`` keeps the non-digit pictures there,
with a contact sheet framed by the first model's verdict (red: called a
digit, orange: unsure, green: rejected).
"""

import argparse
import copy
import datetime
import json
import shlex
import sys
import tempfile
import time
from pathlib import Path

import _non_digits  # beside this script
import bench_other_writers  # beside this script
import bench_real_world  # beside this script
import numpy as np
from PIL import Image
from scipy import ndimage
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from mnistkit import evaluation

#: The models by name: their parameters.
MODELS = {
    "default": {"probability": "fast", "random_state": 0},
    "writers": {"probability": "fast", "augment": "writers", "random_state": 0},
    "sgd": {"backend": "sgd", "probability": "fast", "random_state": 0},
    "rf": {"backend": "rf", "random_state": 0},
}
#: The picture sets besides MNIST.
SETS = ("real-world", "other-writers", "non-digits")
#: Shares of the images kept, most confident first, for the error at coverage.
COVERAGES = (0.95, 0.98, 0.99)
#: Equal-width bins of confidence for the expected calibration error.
ECE_BINS = 15
#: The share of MNIST's digits a confidence cut may lose, for the non-digits' baseline.
MNIST_LOSS = 0.01
#: Training images (a stratified subsample) the distance ratio measures against.
N_REFERENCE = 15_000
#: The turns, in degrees, of the views whose ranking scores a candidate averages.
VIEW_ANGLES = (-8.0, 8.0)
_CUT = f"conf < MNIST {100 * MNIST_LOSS:g}%"
_REJECTED = "not a digit"
_COLOURS = {"digit": (210, 40, 40), "unsure": (240, 150, 20), _REJECTED: (40, 160, 60)}


# -- the numbers ----------------------------------------------------------------------


def error_at_coverage(right, confidence, coverage):
    """The error rate among the ``coverage`` share of images the model is most sure of.

    mnistkit's own :func:`~mnistkit.evaluation.error_at_coverage` (ties at the
    cut counted in proportion), given right-or-wrong instead of labels.
    """
    right = np.asarray(right, bool)
    if right.size == 0:
        return float("nan")
    return float(evaluation.error_at_coverage(right, np.ones_like(right), confidence,
                                              coverage))


def expected_calibration_error(right, confidence, bins=ECE_BINS):
    """The gap between confidence and accuracy over equal-width bins, weighted by count."""
    right, confidence = np.asarray(right, float), np.asarray(confidence, float)
    if right.size == 0:
        return float("nan")
    index = np.minimum((confidence * bins).astype(int), bins - 1)
    count = np.bincount(index, minlength=bins)
    gap = np.abs(np.bincount(index, right, bins) - np.bincount(index, confidence, bins))
    return float(gap.sum() / count.sum())


def auroc(positive, score):
    """``roc_auc_score``, or NaN when only one class is there."""
    positive = np.asarray(positive, bool)
    if positive.all() or not positive.any():
        return float("nan")
    return float(roc_auc_score(positive, score))


def share(mask):
    mask = np.asarray(mask, bool)
    return float(mask.mean()) if mask.size else float("nan")


# -- the models' answers --------------------------------------------------------------


def answers(model, X):
    """A model's prediction, confidence and (when it has ``assess``) verdict and novelty.

    The prediction is the top of ``predict_proba`` and the confidence its
    probability. Returns a dict of arrays (``verdict`` and ``novelty`` are None
    without ``assess``) and the seconds of each call.
    """
    seconds = {}
    start = time.perf_counter()
    proba = model.predict_proba(X)
    seconds["predict_proba"] = time.perf_counter() - start
    best = np.argmax(proba, axis=1)
    out = {"prediction": model.classes_[best], "confidence": proba[np.arange(len(X)), best],
           "verdict": None, "novelty": None, "note": None}
    if hasattr(model, "assess"):
        start = time.perf_counter()
        try:
            result = model.assess(X)
        except ValueError as error:  # assess says why it cannot
            out["note"] = f"assess failed: {error}"
        else:
            seconds["assess"] = time.perf_counter() - start
            out["verdict"] = np.asarray(result.verdict).astype(str)
            out["novelty"] = np.asarray(result.novelty, dtype=float)
            differ = ~np.isclose(np.asarray(result.confidence, float), out["confidence"])
            if differ.any():
                out["note"] = (f"assess's confidence differs from the top of predict_proba "
                               f"for {differ.mean():.1%} of the images")
    return out, seconds


def picture_answers(model, pixels, unread):
    """:func:`answers` for the pictures read; the ones the reader turned down get none."""
    n = len(unread)
    full = {"prediction": np.full(n, -1), "confidence": np.full(n, np.nan),
            "verdict": None, "novelty": None, "note": None}
    if (~unread).any():
        read, _ = answers(model, pixels[~unread])
        full["prediction"][~unread] = read["prediction"]
        full["confidence"][~unread] = read["confidence"]
        full["note"] = read["note"]
        if read["verdict"] is not None:
            full["verdict"] = np.full(n, _REJECTED, dtype=object)
            full["verdict"][~unread] = read["verdict"]
            full["novelty"] = np.full(n, np.inf)
            full["novelty"][~unread] = read["novelty"]
    elif hasattr(model, "assess"):
        full["verdict"] = np.full(n, _REJECTED, dtype=object)
        full["novelty"] = np.full(n, np.inf)
    return full


def digit_numbers(truth, out, unread=None):
    """The numbers of one model on digits: see the module's docstring."""
    truth = np.asarray(truth)
    unread = np.zeros(len(truth), bool) if unread is None else np.asarray(unread, bool)
    right = (out["prediction"] == truth) & ~unread
    read_right, read_confidence = right[~unread], out["confidence"][~unread]
    numbers = {
        "n": len(truth), "accuracy": share(right), "reader": share(unread),
        "auroc": auroc(read_right, read_confidence),
        "ece": expected_calibration_error(read_right, read_confidence),
    }
    for coverage in COVERAGES:
        numbers[f"error_at_{round(100 * coverage)}"] = error_at_coverage(
            read_right, read_confidence, coverage)
    verdict = out["verdict"]
    if verdict is None:
        numbers.update({"not_a_digit": None, "unsure": None, "accepted": None,
                        "accepted_accuracy": None})
    else:
        accepted = verdict == "digit"
        numbers.update({
            "not_a_digit": share((verdict == _REJECTED) | unread),
            "unsure": share(verdict == "unsure"), "accepted": share(accepted),
            "accepted_accuracy": share(right[accepted]) if accepted.any() else float("nan"),
        })
    return numbers


def non_digit_numbers(out, unread, cut, mnist_out):
    """One model's rejections of non-digits; ``cut`` is its MNIST confidence cut."""
    unread = np.asarray(unread, bool)
    confidence = out["confidence"]
    numbers = {"n": len(unread), "reader": share(unread),
               "confidence_cut": share(unread | (confidence < cut))}
    read = ~unread
    is_digit = np.concatenate([np.ones(len(mnist_out["confidence"]), bool),
                               np.zeros(read.sum(), bool)])
    numbers["auroc_confidence"] = auroc(
        is_digit, np.concatenate([mnist_out["confidence"], confidence[read]]))
    verdict = out["verdict"]
    if verdict is None:
        numbers.update({"rejected": None, "at_least_unsure": None, "auroc_novelty": None,
                        "called": None})
        return numbers
    rejected = (verdict == _REJECTED) | unread
    numbers["rejected"] = share(rejected)
    numbers["at_least_unsure"] = share(rejected | (verdict == "unsure"))
    numbers["auroc_novelty"] = (
        auroc(is_digit, -np.concatenate([mnist_out["novelty"], out["novelty"][read]]))
        if mnist_out["novelty"] is not None else None)
    called = out["prediction"][verdict == "digit"]
    numbers["called"] = {str(d): int(c) for d, c in zip(*np.unique(called, return_counts=True),
                                                        strict=True)}
    return numbers


# -- the candidate ranking scores -----------------------------------------------------


def ranks_answers(model):
    """Whether a model has the scores the candidates are made of: ``probability="fast"``."""
    return (getattr(model, "probability", None) == "fast"
            and getattr(model, "calibrator_", None) is not None
            and hasattr(model, "pipeline_"))


def unit_pixels(X):
    """Images as float32 pixels in [0, 1], which no scaler of MNISTClassifier rescales."""
    X = np.asarray(X, dtype=np.float32)
    return X / np.float32(255) if X.size and X.max() > 1 else X


def model_features(model, pixels):
    """What the model's last step sees of ``pixels`` (from :func:`unit_pixels`): the
    output of the feature steps of its ``pipeline_``."""
    return model.pipeline_[:-1].transform(pixels) if len(model.pipeline_) > 1 else pixels


def weakest_win(svm, features, predicted):
    """The smallest of the predicted class's one-vs-one decision values, or None.

    For scikit-learn's :class:`~sklearn.svm.SVC` (``decision_function_shape=
    "ovo"``) and mnistkit's SVM that fits its pairs in threads
    (``pair_margins``): one value per pair (i, j), i < j, in the order of
    ``numpy.triu_indices``, positive where i wins. None for other models.
    """
    if hasattr(svm, "pair_margins"):
        pairs = svm.pair_margins(features)
    elif isinstance(svm, SVC) and len(svm.classes_) > 2:
        pairs = copy.copy(svm).set_params(decision_function_shape="ovo").decision_function(
            features)
    else:
        return None
    first, second = np.triu_indices(len(svm.classes_), k=1)
    # +1 where the predicted class is the pair's first, -1 its second, 0 not in it.
    side = (first == predicted[:, None]).astype(float) - (second == predicted[:, None])
    return np.where(side != 0, side * pairs, np.inf).min(axis=1)


def distance_ratio(neighbours, features, predicted):
    """log(distance to the nearest reference of another class / to the nearest of ``predicted``).

    ``neighbours`` holds one fitted ``NearestNeighbors`` per class, in the
    order of ``classes_``; ``predicted`` the index of each image's prediction.
    """
    nearest = np.column_stack([nn.kneighbors(features, n_neighbors=1)[0][:, 0]
                               for nn in neighbours])
    rows = np.arange(len(features))
    own = nearest[rows, predicted].copy()
    nearest[rows, predicted] = np.inf
    return np.log(np.maximum(nearest.min(axis=1), 1e-12) / np.maximum(own, 1e-12))


def turned_views_score(model, pixels, predicted, ranking):
    """The mean, over the image and its views turned by :data:`VIEW_ANGLES`, of the
    predicted digit's ranking score: its weakest win for a one-vs-one SVM, else its
    decision value's margin over the best other digit. None unless images are 28x28.

    A reading that holds only as the digit stands (a turn of a few degrees makes
    another digit win) is in doubt; the image itself counts with ``ranking``.
    """
    if pixels.shape[1] != 28 * 28:
        return None
    images = pixels.reshape(-1, 28, 28)
    rows = np.arange(len(pixels))
    scores = [ranking]
    for angle in VIEW_ANGLES:
        view = ndimage.rotate(images, angle, axes=(1, 2), reshape=False, order=1)
        view = np.clip(view, 0, 1).reshape(len(pixels), -1)
        features = model_features(model, view)
        win = weakest_win(model.pipeline_[-1], features, predicted)
        if win is None:
            values = model.pipeline_[-1].decision_function(features).reshape(len(view), -1)
            own = values[rows, predicted].copy()
            values[rows, predicted] = -np.inf
            win = own - values.max(axis=1)
        scores.append(win)
    return np.mean(scores, axis=0)


def timed(function, *args):
    """``function(*args)`` and the seconds it took."""
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def ranking_scores(model, X, y, out, X_train, y_train, seed):
    """The candidate ranking scores of a ``probability="fast"`` model on ``X``.

    ``out`` is the model's :func:`answers` on ``X``: its prediction (the top of
    ``predict_proba``) decides right and wrong for every candidate, and its
    confidence is the library's. Each candidate is computed from what
    ``predict`` computes on its way (the features, the decision values, the
    ranking score, the temperature's probabilities and ``predict_proba``'s),
    and timed from there: its cost beyond predict. Returns the numbers, one
    dict per candidate, and notes.
    """
    n = len(X)
    right = np.asarray(out["prediction"] == np.asarray(y))
    predicted = np.searchsorted(model.classes_, out["prediction"])
    pixels = unit_pixels(X)
    front = model_features(model, pixels)
    # The decision values the temperature reads, and the library's ranking score.
    scores = model.decision_function(pixels)
    temperature = model.calibrator_.predict_proba(scores)
    notes = []
    top = np.argmax(scores, axis=1)
    differ = int(np.sum(top != predicted))
    if differ:
        notes.append(f"the decision values' top differs from the prediction on {differ} "
                     "images (the ranking score is the decision values' top's)")
    ranking = weakest_win(model.pipeline_[-1], front, top)
    ranking_name = "top-two margin" if ranking is None else "weakest win"
    if ranking is None:
        ranking = np.diff(np.sort(scores, axis=1)[:, -2:], axis=1)[:, 0]

    # The reference digits: a stratified subsample of the training images.
    start = time.perf_counter()
    reference, labels = X_train, np.asarray(y_train)
    if len(labels) > N_REFERENCE:
        reference, _, labels, _ = train_test_split(
            reference, labels, train_size=N_REFERENCE, stratify=labels, random_state=seed)
    features = np.asarray(model_features(model, unit_pixels(reference)), dtype=np.float32)
    neighbours = [NearestNeighbors(algorithm="brute").fit(features[labels == c])
                  for c in model.classes_]
    setup = time.perf_counter() - start
    front = np.asarray(front, dtype=np.float32)

    candidates = {}
    candidates["temperature top probability (mnistkit 0.x)"] = timed(
        lambda: temperature.max(axis=1))
    candidates["top-two margin of the decision values"] = timed(
        lambda: np.diff(np.sort(scores, axis=1)[:, -2:], axis=1)[:, 0])
    candidates[f"{ranking_name} (the library's ranking score)"] = timed(lambda: ranking)
    candidates["library's confidence (top of predict_proba)"] = timed(
        lambda: out["confidence"])
    ratio, ratio_s = timed(distance_ratio, neighbours, front, predicted)
    candidates["distance ratio (nearest other / nearest same class)"] = ratio, ratio_s
    # Cross-fitted: a logistic fitted on one half of the images scores the other.
    both = np.column_stack([ranking, ratio])
    combined, combined_s = np.empty(n), ratio_s
    if min(right.sum(), (~right).sum()) < 2:
        combined[:] = np.nan
        notes.append("too few wrong answers to fit the combination")
    else:
        halves = StratifiedKFold(2, shuffle=True, random_state=seed)
        for fit_on, score_on in halves.split(both, right):
            fitted = make_pipeline(StandardScaler(), LogisticRegression()).fit(
                both[fit_on], right[fit_on])
            combined[score_on], seconds = timed(fitted.decision_function, both[score_on])
            combined_s += seconds
    candidates[f"{ranking_name} + distance ratio (cross-fitted logistic)"] = (combined,
                                                                              combined_s)
    views, views_s = timed(turned_views_score, model, pixels, top, ranking)
    if views is None:
        notes.append("the turned views need 28x28 images: left out")
    else:
        turns = " and ".join(f"{angle:+g}" for angle in VIEW_ANGLES)
        candidates[f"{ranking_name}, mean of the image and its views turned {turns} "
                   "degrees"] = views, views_s

    rows = {}
    for name, (score, seconds) in candidates.items():
        row = {"auroc": auroc(right, score), "ms_beyond_predict": 1000 * seconds / n}
        for coverage in COVERAGES:
            row[f"error_at_{round(100 * coverage)}"] = error_at_coverage(right, score, coverage)
        rows[name] = row
    return {"n": n, "wrong": int((~right).sum()), "ranking_score": ranking_name,
            "n_reference": len(labels), "reference_seconds": setup,
            "confidence_order": order_agreement(out["confidence"], ranking),
            "candidates": rows}, notes


def order_agreement(confidence, ranking):
    """Where the order of the images by ``confidence`` departs from that by ``ranking``.

    The confidence is meant to be an increasing function of the ranking score.
    Returns whether it ever puts two images the other way round, the images it
    ties that the ranking score tells apart (and the confidences they tie at),
    and the images it tells apart that the ranking score ties.
    """
    by_ranking = np.lexsort((confidence, ranking))
    pairs = np.unique(np.column_stack([confidence, ranking]), axis=0)
    values, count = np.unique(pairs[:, 0], return_counts=True)
    tied_at = values[count > 1]
    split, count = np.unique(pairs[:, 1], return_counts=True)
    return {"reversed": bool(np.any(np.diff(confidence[by_ranking]) < 0)),
            "tied": int(np.isin(confidence, tied_at).sum()), "tied_at": tied_at.tolist(),
            "split": int(np.isin(ranking, split[count > 1]).sum())}


def order_sentence(order, ranking_name):
    """:func:`order_agreement` in words."""
    if not (order["reversed"] or order["tied"] or order["split"]):
        return f"The library's confidence ranks the images exactly as the {ranking_name}."
    said = [f"The library's confidence orders the images as the {ranking_name}"
            + (", but puts some pairs the other way round" if order["reversed"] else
               ", never the other way round")]
    if order["tied"]:
        at = ", ".join(f"{value:.6g}" for value in order["tied_at"])
        said.append(f"it ties {order['tied']} images the {ranking_name} tells apart "
                    f"(at {at})")
    if order["split"]:
        said.append(f"it tells apart {order['split']} images the {ranking_name} ties")
    return "; ".join(said) + "."


# -- the picture sets -----------------------------------------------------------------


def write_pictures(pictures, folder):
    """Pictures (uint8 arrays) to PNG files in ``folder``; returns their paths."""
    folder.mkdir(parents=True)
    paths = []
    for k, picture in enumerate(pictures):
        paths.append(folder / f"{k:05d}.png")
        Image.fromarray(picture).save(paths[-1])
    return paths


def real_world_conditions(images, labels, n, seed, folder):
    """``bench_real_world.py``'s single-digit conditions: (name, paths, labels)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    for name, paths, truth, is_number in bench_real_world.build_conditions(
            images, labels, rng, folder):
        if is_number:  # several digits are read_number's business, not this benchmark's
            break
        yield name, paths, np.asarray(truth)
    for name, paths, truth, _ in bench_real_world.fonts_condition(folder):
        chosen = np.sort(np.random.default_rng(seed).choice(
            len(paths), size=min(n, len(paths)), replace=False))
        yield name, [paths[k] for k in chosen], np.asarray(truth)[chosen]


def other_writers_conditions(images, labels, n, seed, folder, notes):
    """``bench_other_writers.py``'s conditions: (name, paths, labels)."""
    try:
        import skimage.morphology  # noqa: F401  (the redrawn styles' skeletons)
    except ImportError:
        notes.append("scikit-image is not installed: the redrawn MNIST styles of the other "
                     "writers are left out (pip install scikit-image)")
        has_skimage = False
    else:
        has_skimage = True
    pictures = bench_other_writers.Pictures(images, labels)
    for k, (name, family, part, framing) in enumerate(bench_other_writers.condition_names()):
        if family == "reference" or (
                part in bench_other_writers._NEEDS_SKIMAGE and not has_skimage):
            continue
        made, truth = pictures.get(family, part)
        chosen = np.arange(len(made))
        if len(made) > n:
            chosen = np.sort(np.random.default_rng([seed, k]).choice(len(made), n,
                                                                     replace=False))
        framed = [bench_other_writers.frame(made[i], family, framing) for i in chosen]
        paths = write_pictures(framed, folder / bench_other_writers.slug(name))
        yield name, paths, np.asarray(truth)[chosen]


def score_digit_set(conditions, models, label_width):
    """Read every condition's files, ask each model; pooled and per-condition numbers."""
    truth, unread, pixels, counts, seconds = [], [], [], {}, 0.0
    for name, paths, labels in conditions:
        read, turned_down, took = bench_other_writers.read_files(paths)
        truth.append(labels)
        unread.append(turned_down)
        pixels.append(read)
        counts[name] = len(labels)
        seconds += took
        print(f"  {name[:label_width]}: {len(labels)} pictures read, {turned_down.sum()} "
              "turned down", file=sys.stderr, flush=True)
    truth, unread, pixels = (np.concatenate(a) for a in (truth, unread, pixels))
    result = {"n": len(truth), "read_ms": 1000 * seconds / max(1, len(truth)), "models": {},
              "conditions": {name: {"n": count, "models": {}} for name, count in counts.items()}}
    notes = set()
    for label, model in models.items():
        out = picture_answers(model, pixels, unread)
        if out["note"]:
            notes.add(f"{label}: {out['note']}")
        result["models"][label] = digit_numbers(truth, out, unread)
        start = 0
        for name, count in counts.items():
            part = slice(start, start + count)
            sub = {key: (value[part] if isinstance(value, np.ndarray) else value)
                   for key, value in out.items()}
            result["conditions"][name]["models"][label] = digit_numbers(
                truth[part], sub, unread[part])
            start += count
    return result, sorted(notes)


# -- the tables -----------------------------------------------------------------------


def cell(value, kind="%"):
    """One number as the tables show it: percent, a plain ratio, or n/a."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "n/a"
    if kind == "%":
        return f"{100 * value:.1f}%"
    if kind == "%%":
        return f"{100 * value:.2f}%"
    if kind == "ms":
        return f"{value:.3f}"
    if kind == "s":
        return f"{value:.1f}"
    if kind == "x":
        return f"{value:.2f}x"
    return f"{value:.4f}"


def digit_table(result, labels, mnist=False):
    columns = ["model", "n", "accuracy", "AUROC"]
    columns += [f"err@{round(100 * c)}%" for c in (COVERAGES if mnist else COVERAGES[::2])]
    columns += ["ECE", "not a digit"] + ([] if mnist else ["reader"])
    columns += ["unsure", "accepted", "acc. accepted"]
    rows = []
    for label in labels:
        m = result["models"][label]
        row = [label, str(m["n"]), cell(m["accuracy"], "%%"), cell(m["auroc"], "4")]
        row += [cell(m[f"error_at_{round(100 * c)}"], "%%")
                for c in (COVERAGES if mnist else COVERAGES[::2])]
        row += [cell(m["ece"], "4"), cell(m["not_a_digit"], "%%")]
        row += [] if mnist else [cell(m["reader"], "%%")]
        row += [cell(m["unsure"], "%%"), cell(m["accepted"], "%"),
                cell(m["accepted_accuracy"], "%%")]
        rows.append(row)
    return columns, rows


def condition_table(result, labels):
    one = len(labels) == 1
    columns = ["condition", "n"]
    for label in labels:
        prefix = "" if one else f"{label} "
        columns += [f"{prefix}accuracy", f"{prefix}AUROC", f"{prefix}not a digit",
                    f"{prefix}unsure"]
    rows = []
    for name, entry in result["conditions"].items():
        row = [name, str(entry["n"])]
        for label in labels:
            m = entry["models"][label]
            row += [cell(m["accuracy"]), cell(m["auroc"], "4"), cell(m["not_a_digit"]),
                    cell(m["unsure"])]
        rows.append(row)
    return columns, rows


def non_digit_tables(result, labels):
    columns = ["model", "n", "rejected", "at least unsure", "reader", _CUT,
               "AUROC novelty", "AUROC conf", "called (as digit)"]
    rows = []
    for label in labels:
        m = result["models"][label]["overall"]
        called = m["called"]
        top = (", ".join(f"{d}: {c}" for d, c in sorted(called.items(), key=lambda x: -x[1])[:3])
               if called else ("-" if called is not None else "n/a"))
        rows.append([label, str(m["n"]), cell(m["rejected"]), cell(m["at_least_unsure"]),
                     cell(m["reader"]), cell(m["confidence_cut"]),
                     cell(m["auroc_novelty"], "4"), cell(m["auroc_confidence"], "4"), top])
    one = len(labels) == 1
    kind_columns = ["kind", "n"]
    for label in labels:
        prefix = "" if one else f"{label} "
        kind_columns += [f"{prefix}rejected", f"{prefix}at least unsure", f"{prefix}reader",
                         f"{prefix}{_CUT}"]
    kind_rows = []
    for kind in result["kinds"]:
        row = [kind, str(result["models"][labels[0]]["kinds"][kind]["n"])]
        for label in labels:
            m = result["models"][label]["kinds"][kind]
            row += [cell(m["rejected"]), cell(m["at_least_unsure"]), cell(m["reader"]),
                    cell(m["confidence_cut"])]
        kind_rows.append(row)
    return (columns, rows), (kind_columns, kind_rows)


def time_table(timing, labels):
    columns = ["model", "fit s", "predict ms/image", "predict_proba ms/image",
               "assess ms/image", "assess / predict"]
    rows = []
    for label in labels:
        t = timing[label]
        rows.append([label, cell(t["fit_seconds"], "s"), cell(t["predict_ms"], "ms"),
                     cell(t["predict_proba_ms"], "ms"), cell(t["assess_ms"], "ms"),
                     cell(t["assess_over_predict"], "x")])
    return columns, rows


def ranking_table(result):
    columns = ["ranking score", "AUROC", *(f"err@{round(100 * c)}%" for c in COVERAGES),
               "ms/image beyond predict"]
    rows = []
    for name, m in result["candidates"].items():
        rows.append([name, cell(m["auroc"], "4"),
                     *(cell(m[f"error_at_{round(100 * c)}"], "%%") for c in COVERAGES),
                     cell(m["ms_beyond_predict"], "ms")])
    return columns, rows


def summary_table(results, timing, labels, mnist_name):
    columns = ["model", f"{mnist_name} acc.", "AUROC", "err@99%", "digits rejected"]
    names = {"real-world": "real-world", "other-writers": "writers"}
    for key, short in names.items():
        if key in results:
            columns += [f"{short} acc.", f"{short} rejected"]
    if "non-digits" in results:
        columns += ["non-digits rejected", "non-digits >= unsure"]
    columns += ["assess / predict"]
    rows = []
    for label in labels:
        m = results["mnist"]["models"][label]
        row = [label, cell(m["accuracy"], "%%"), cell(m["auroc"], "4"),
               cell(m["error_at_99"], "%%"), cell(m["not_a_digit"], "%%")]
        for key in names:
            if key in results:
                p = results[key]["models"][label]
                row += [cell(p["accuracy"]), cell(p["not_a_digit"])]
        if "non-digits" in results:
            p = results["non-digits"]["models"][label]["overall"]
            row += [cell(p["rejected"]), cell(p["at_least_unsure"])]
        row.append(cell(timing[label]["assess_over_predict"], "x"))
        rows.append(row)
    return columns, rows


def show(title, table, markdown):
    print()
    print(f"### {title}" if markdown else f"== {title} ==")
    if markdown:
        print()
    bench_other_writers.print_table(*table, markdown)


# -- running it -----------------------------------------------------------------------


def make_models(names, X_train, y_train, split, notes):
    """Fit (or load) each model: {label: model}, {label: source}, {label: fit seconds}."""
    from mnistkit import MNISTClassifier, load_model

    models, sources, fit_seconds = {}, {}, {}
    for name in names:
        if name in MODELS:
            params = ", ".join(f"{k}={v!r}" for k, v in MODELS[name].items())
            print(f"fitting {name} on {len(y_train):,} images ...", file=sys.stderr, flush=True)
            start = time.perf_counter()
            models[name] = MNISTClassifier(**MODELS[name]).fit(X_train, y_train)
            fit_seconds[name] = time.perf_counter() - start
            sources[name] = f"MNISTClassifier({params})"
            continue
        path = Path(name)
        if not path.is_file():
            msg = (f"--model {name!r} is neither a model name ({', '.join(MODELS)}) nor a "
                   "model file.")
            raise SystemExit(msg)
        label = path.stem if path.stem not in models else str(path)
        models[label] = load_model(path)
        if not hasattr(models[label], "predict_proba"):
            msg = (f"The model in {path} has no predict_proba, so it has no confidence to "
                   "measure: fit it with probability='fast' (as mnistkit train does).")
            raise SystemExit(msg)
        fit_seconds[label] = None
        sources[label] = f"{path} (loaded, not fitted here)"
        if split == "validation":
            notes.append(f"{label} is a model file: one trained on all 60,000 training "
                         "images has seen the validation images (use --split test)")
    return models, sources, fit_seconds


def main(argv=None):
    import mnistkit
    from mnistkit import fetch_mnist

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", metavar="NAME_OR_FILE",
                        help=f"{', '.join(MODELS)} or a model file (repeatable; default: "
                             "default and writers)")
    parser.add_argument("--split", choices=("validation", "test"), default="validation",
                        help="validation: fit on 50,000 training images, score on the other "
                             "10,000 (default); test: fit on 60,000, score on the test set")
    parser.add_argument("--train-size", type=int, default=None,
                        help="fit on only this many of the training images (a quick run)")
    parser.add_argument("--n-mnist", type=int, default=None,
                        help="score on only this many MNIST images (default: all 10,000)")
    parser.add_argument("--n", type=int, default=100,
                        help="pictures per real-world and other-writers condition "
                             "(default: 100)")
    parser.add_argument("--n-per-kind", type=int, default=50,
                        help="non-digit pictures per kind (default: 50)")
    parser.add_argument("--sets", nargs="*", choices=SETS, default=list(SETS),
                        help="the picture sets to run (default: all; MNIST always runs)")
    parser.add_argument("--seed", type=int, default=0,
                        help="picks the digits and draws the pictures (default: 0)")
    parser.add_argument("--candidates", action=argparse.BooleanOptionalAction, default=None,
                        help="compare candidate ranking scores behind the confidence "
                             "(default: with --split validation; a few seconds a model)")
    parser.add_argument("--by-condition", action="store_true",
                        help="also print each picture condition's numbers")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--json", metavar="FILE", help="write the results to a JSON file")
    parser.add_argument("--pictures", metavar="DIR",
                        help="keep the non-digit pictures here, with a contact sheet")
    args = parser.parse_args(argv)
    names = args.model or ["default", "writers"]
    began = time.perf_counter()
    notes = []

    X, y = fetch_mnist(subset="train", return_X_y=True)
    if args.split == "validation":
        X_train, X_eval, y_train, y_eval = train_test_split(
            X, y, test_size=10_000, stratify=y, random_state=0)
        mnist_name = "MNIST validation"
    else:
        X_train, y_train = X, y
        X_eval, y_eval = fetch_mnist(subset="test", return_X_y=True)
        mnist_name = "MNIST test"
    if args.train_size:
        X_train, y_train = X_train[: args.train_size], y_train[: args.train_size]
    if args.n_mnist:
        X_eval, y_eval = X_eval[: args.n_mnist], y_eval[: args.n_mnist]
    models, sources, fit_seconds = make_models(names, X_train, y_train, args.split, notes)
    labels = list(models)

    results, timing, mnist_out = {}, {}, {}
    results["mnist"] = {"n": len(y_eval), "models": {}}
    for label, model in models.items():
        start = time.perf_counter()
        predicted = model.predict(X_eval)
        predict_s = time.perf_counter() - start
        out, seconds = answers(model, X_eval)
        mnist_out[label] = out
        if out["note"]:
            notes.append(f"{label}: {out['note']}")
        if not hasattr(model, "assess"):
            notes.append(f"{label} has no assess(): its verdict columns are n/a")
        disagree = int(np.sum(predicted != out["prediction"]))
        if disagree:
            notes.append(f"{label}: predict differs from the top of predict_proba on "
                         f"{disagree} of {len(y_eval)} {mnist_name} images")
        results["mnist"]["models"][label] = digit_numbers(y_eval, out)
        n = len(y_eval)
        assess_ms = 1000 * seconds["assess"] / n if "assess" in seconds else None
        timing[label] = {
            "fit_seconds": fit_seconds[label], "predict_ms": 1000 * predict_s / n,
            "predict_proba_ms": 1000 * seconds["predict_proba"] / n, "assess_ms": assess_ms,
            "assess_over_predict": (assess_ms / (1000 * predict_s / n)
                                    if assess_ms is not None else None)}
        print(f"  {mnist_name}, {label}: accuracy "
              f"{results['mnist']['models'][label]['accuracy']:.4f}", file=sys.stderr,
              flush=True)

    candidates = args.split == "validation" if args.candidates is None else args.candidates
    if candidates:
        results["ranking-scores"] = {}
        for label, model in models.items():
            if not ranks_answers(model):
                notes.append(f"{label} has no probability='fast' decision values: no "
                             "ranking-score table")
                continue
            print(f"  {mnist_name}, {label}: candidate ranking scores ...", file=sys.stderr,
                  flush=True)
            results["ranking-scores"][label], more = ranking_scores(
                model, X_eval, y_eval, mnist_out[label], X_train, y_train, args.seed)
            notes += [f"{label}: {note}" for note in more]

    rng = np.random.default_rng(args.seed)
    chosen = np.sort(rng.choice(len(y_eval), size=min(args.n, len(y_eval)), replace=False))
    digit_images = X_eval[chosen].reshape(-1, 28, 28)
    digit_labels = np.asarray(y_eval[chosen]).astype(int)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "real-world" in args.sets:
            print("real-world pictures ...", file=sys.stderr, flush=True)
            results["real-world"], more = score_digit_set(
                real_world_conditions(digit_images, digit_labels, args.n, args.seed,
                                      folder / "real_world"), models, 40)
            notes += more
        if "other-writers" in args.sets:
            print("other writers' pictures ...", file=sys.stderr, flush=True)
            results["other-writers"], more = score_digit_set(
                other_writers_conditions(digit_images, digit_labels, args.n, args.seed,
                                         folder / "other_writers", notes), models, 40)
            notes += more
        if "non-digits" in args.sets:
            print("non-digits ...", file=sys.stderr, flush=True)
            where = Path(args.pictures) if args.pictures else folder / "non_digits"
            pictures = _non_digits.make_non_digits(where, n_per_kind=args.n_per_kind,
                                                   random_state=args.seed)
            paths = [path for path, _ in pictures]
            kinds = np.array([kind for _, kind in pictures])
            pixels, unread, seconds = bench_other_writers.read_files(paths)
            entry = {"n": len(paths), "read_ms": 1000 * seconds / max(1, len(paths)),
                     "kinds": list(dict.fromkeys(kinds)), "models": {}}
            first = None
            for label, model in models.items():
                out = picture_answers(model, pixels, unread)
                first = first or out
                cut = float(np.quantile(mnist_out[label]["confidence"], MNIST_LOSS))
                numbers = {"overall": non_digit_numbers(out, unread, cut, mnist_out[label]),
                           "confidence_cut": cut, "kinds": {}}
                for kind in entry["kinds"]:
                    mask = kinds == kind
                    sub = {key: (value[mask] if isinstance(value, np.ndarray) else value)
                           for key, value in out.items()}
                    numbers["kinds"][kind] = non_digit_numbers(sub, unread[mask], cut,
                                                               mnist_out[label])
                entry["models"][label] = numbers
            results["non-digits"] = entry
            if args.pictures:
                save_sheet(where, paths, kinds, unread, first, labels[0])
    took = time.perf_counter() - began

    today = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    where = bench_other_writers.machine()
    command = shlex.join(["python", *sys.argv]) if argv is None else shlex.join(argv)
    header = [
        f"Confidence and rejection, {today}, {where['platform']}, {where['processor']}, "
        f"{where['cores']} cores, Python {where['python']}",
        f"mnistkit {mnistkit.__version__}; command: {command}",
        f"{mnist_name}: scored on {len(y_eval):,} images"
        + (f", models fitted here on {len(y_train):,} training images"
           if any(s is not None for s in fit_seconds.values()) else "")
        + (f"; pictures of digits made from {len(chosen)} of those (seed "
                              f"{args.seed})" if set(args.sets) - {"non-digits"} else ""),
        "models: " + "; ".join(f"{label} = {source}" for label, source in sources.items()),
        f"run took {took:.0f} s",
    ]
    header += [f"note: {note}" for note in dict.fromkeys(notes)]
    for line in header:
        print(line + ("  " if args.markdown else ""))
    show(f"{mnist_name} ({len(y_eval):,} images)", digit_table(results["mnist"], labels, True),
         args.markdown)
    for label, r in results.get("ranking-scores", {}).items():
        show(f"Ranking scores on {mnist_name}, {label} ({r['n']:,} images, {r['wrong']} "
             "wrong)", ranking_table(r), args.markdown)
        print()
        print(order_sentence(r["confidence_order"], r["ranking_score"]) + " Distance ratio: "
              f"nearest of {r['n_reference']:,} training images (stratified, seed "
              f"{args.seed}); their features and index took {r['reference_seconds']:.1f} s, "
              "once.")
    titles = {"real-world": "Real-world pictures of digits", "other-writers":
              "Other writers' digits"}
    for key, title in titles.items():
        if key in results:
            r = results[key]
            show(f"{title} ({r['n']:,} pictures in {len(r['conditions'])} conditions, "
                 f"reading {r['read_ms']:.0f} ms/picture)", digit_table(r, labels),
                 args.markdown)
            if args.by_condition:
                show(f"{title}, by condition", condition_table(r, labels), args.markdown)
    if "non-digits" in results:
        r = results["non-digits"]
        overall, by_kind = non_digit_tables(r, labels)
        show(f"Non-digits ({r['n']:,} pictures, {args.n_per_kind} per kind, reading "
             f"{r['read_ms']:.0f} ms/picture)", overall, args.markdown)
        show("Non-digits by kind", by_kind, args.markdown)
    show(f"Time ({mnist_name}, {len(y_eval):,} images, one batch per call)",
         time_table(timing, labels), args.markdown)
    show("Summary", summary_table(results, timing, labels, mnist_name), args.markdown)

    if args.json:
        Path(args.json).write_text(json.dumps(_jsonable({
            "benchmark": "bench_confidence", "date": today, "machine": where,
            "mnistkit_version": mnistkit.__version__, "command": command,
            "split": args.split, "train_size": len(y_train), "n_mnist": len(y_eval),
            "n": args.n, "n_per_kind": args.n_per_kind, "seed": args.seed,
            "models": sources, "seconds": round(took, 1), "notes": list(dict.fromkeys(notes)),
            "timing": timing, "results": results,
        }), indent=2) + "\n")


def _jsonable(value):
    """Results with NumPy numbers as plain ones and NaN as None (null), for JSON."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def save_sheet(folder, paths, kinds, unread, out, label):
    """The non-digits on one PNG, framed and captioned by one model's verdict."""
    captions, colours = [], []
    for k, kind in enumerate(kinds):
        if unread[k]:
            verdict, said = _REJECTED, "reader: no digit"
        elif out["verdict"] is None:
            verdict, said = None, f"{out['prediction'][k]} at {out['confidence'][k]:.0%}"
        else:
            verdict = out["verdict"][k]
            said = f"{verdict}: {out['prediction'][k]} {out['confidence'][k]:.0%}"
        captions.append(f"{kind} {said}")
        colours.append(_COLOURS.get(verdict))
    sheet = _non_digits.contact_sheet(paths, folder / f"contact_sheet_{label}.png",
                                      captions=captions, colours=colours)
    print(f"non-digit pictures in {folder}; contact sheet with {label}'s verdicts: {sheet}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
