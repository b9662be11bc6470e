"""``compare_models``: cross-validated accuracy and timings of several classifiers, side by side."""

import functools
import html
import numbers
import sys
import time
import warnings
from collections.abc import Mapping

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import clone
from sklearn.metrics import accuracy_score
from sklearn.model_selection import (
    StratifiedGroupKFold,
    StratifiedKFold,
    check_cv,
    cross_validate,
)

from ..classifier import default_models
from . import _checks
from ._report import comparison_markdown, comparison_text
from ._result import to_plain


def _fit_and_score(estimator, X_fit, y_fit, X_eval, y_eval, params):
    """Fit, predict and score one clone; returns (accuracy, fit seconds, predict seconds)."""
    start = time.perf_counter()
    estimator.fit(X_fit, y_fit, **params)
    fitted = time.perf_counter()
    y_pred = estimator.predict(X_eval)
    predicted = time.perf_counter()
    return float(accuracy_score(y_eval, y_pred)), fitted - start, predicted - fitted


def _run_fold(estimator, X, y, train, test, params):
    """One fold through ``cross_validate``: its fitting, scoring, timing and routing of
    ``params`` (sample-aligned ones are cut to the training rows)."""
    scores = cross_validate(
        estimator, X, y, cv=[(train, test)], scoring="accuracy", params=params,
        error_score="raise",
    )
    return (
        float(scores["test_score"][0]),
        float(scores["fit_time"][0]),
        float(scores["score_time"][0]),
    )


def workers_and_threads(n_processors, fits_per_model):
    """How many fits run at once, and how many threads each fit may use.

    The fits of one model (its folds and its refit) take about as long as each
    other, those of different models do not: a model of long fits, dispatched
    among the last, keeps a few processors busy while the others wait. With
    ``n_processors // fits_per_model`` threads each, the fits of one model,
    running together, use every processor; ``n_processors // threads`` fits run
    at once, so that threads never outnumber the processors.

    Examples
    --------
    >>> from mnistkit.evaluation._compare import workers_and_threads
    >>> workers_and_threads(16, 4), workers_and_threads(2, 4)
    ((4, 4), (2, 1))
    """
    threads = max(1, n_processors // max(1, fits_per_model))
    return max(1, n_processors // threads), threads


def dispatch_order(tasks, workers):
    """The order in which the fits are handed out: the refits on all the training
    data first when several run at once.

    A refit trains on more images than any fold, so it is its model's longest
    fit; started last, it would run alone at the end while the other workers
    wait. One at a time, the order changes nothing, and each model's lines stay
    together.

    Examples
    --------
    >>> from mnistkit.evaluation._compare import dispatch_order
    >>> tasks = [("a", "fold 1/2"), ("a", "fold 2/2"), ("a", "test"), ("b", "fold 1/2"),
    ...          ("b", "fold 2/2"), ("b", "test")]
    >>> dispatch_order(tasks, 2), dispatch_order(tasks, 1)
    ([2, 5, 0, 1, 3, 4], [0, 1, 2, 3, 4, 5])
    """
    indices = list(range(len(tasks)))
    if workers == 1:
        return indices
    return sorted(indices, key=lambda index: tasks[index][1] != "test")


def _numbered(index, task):
    """Run a joblib task; return its index with its outcome, whatever order the tasks end in."""
    function, args, kwargs = task
    return index, function(*args, **kwargs)


def _with_threads(model, threads):
    """A clone of ``model``, with ``n_jobs=threads`` if it has an ``n_jobs`` left at None."""
    model = clone(model)
    params = model.get_params(deep=False)
    if threads > 1 and "n_jobs" in params and params["n_jobs"] is None:
        model.set_params(n_jobs=threads)
    return model


def _check_models(models):
    if not isinstance(models, Mapping) or not models:
        msg = (
            f"models must be a non-empty dict of name to estimator, such as "
            f"{{'rf': RandomForestClassifier()}}, got {type(models).__name__}."
        )
        raise TypeError(msg)
    for name, model in models.items():
        if not isinstance(name, str):
            msg = f"Model names must be strings, got {name!r}."
            raise TypeError(msg)
        if not (hasattr(model, "fit") and hasattr(model, "predict")):
            msg = (
                f"Model {name!r} must be an estimator with fit and predict, "
                f"got {type(model).__name__}."
            )
            raise TypeError(msg)
    return dict(models)


def _splitter(cv, y, groups, random_state):
    """The splitter for ``cv``: a number of shuffled stratified folds, or what
    :func:`~sklearn.model_selection.check_cv` makes of anything else."""
    if not isinstance(cv, numbers.Integral) or isinstance(cv, bool):
        if isinstance(cv, numbers.Number) or cv is None:
            msg = (
                f"cv must be a number of folds of at least 2, or a cross-validation "
                f"splitter, got {cv!r}."
            )
            raise ValueError(msg)
        return check_cv(cv, y, classifier=True)
    if cv < 2:
        msg = (
            f"cv must be a number of folds of at least 2, or a cross-validation "
            f"splitter, got {cv!r}."
        )
        raise ValueError(msg)
    if groups is not None:
        # Images of one group (one writer, say) stay on one side of every split.
        return StratifiedGroupKFold(n_splits=int(cv), shuffle=True, random_state=random_state)
    labels, counts = np.unique(y, return_counts=True)
    if counts.min() < cv:
        msg = (
            f"Stratified {cv}-fold cross-validation needs at least {cv} samples of each "
            f"class, but class {labels[counts.argmin()]} has {counts.min()}. "
            f"Lower cv or give more samples."
        )
        raise ValueError(msg)
    return StratifiedKFold(n_splits=int(cv), shuffle=True, random_state=random_state)


def _runs_of(name, tasks, finished):
    """The (what, outcome) of the fits of model ``name`` finished so far, in task order."""
    return [(what, finished[index]) for index, (model, what) in enumerate(tasks)
            if model == name and index in finished]


def _finished_so_far(tasks, finished):
    """A summary of the fits finished before an interrupt, model by model."""
    lines = [f"interrupted after {len(finished)} of {len(tasks)} fits"]
    for name in dict.fromkeys(model for model, _ in tasks):
        runs = _runs_of(name, tasks, finished)
        if not runs:
            continue
        folds = [outcome[0] for what, outcome in runs if what != "test"]
        test = [outcome[0] for what, outcome in runs if what == "test"]
        line = f"  {name}: {len(folds)} fold{'s' if len(folds) != 1 else ''}"
        if folds:
            line += f", mean accuracy {np.mean(folds):.4f}"
        if test:
            line += f", test accuracy {test[0]:.4f}"
        lines.append(line)
    return "\n".join(lines)


def _say(verbose, line):
    if verbose:
        print(f"[compare] {line}", file=sys.stderr, flush=True)


def _models_first_deprecated(function):
    """Take ``compare_models(models, X, y, ...)``, the form of mnistkit 0.1, with a warning."""

    @functools.wraps(function)
    def compare(*args, **kwargs):
        if args and (args[0] is None or isinstance(args[0], Mapping)):
            if "models" in kwargs:
                msg = "compare_models got the models twice: first, and as models=."
                raise TypeError(msg)
            warnings.warn(
                "compare_models(models, X, y, ...) is deprecated since mnistkit 0.2 and "
                "will be removed in 0.3: pass the models by name, compare_models(X, y, "
                "models=models), or leave them out for the classic four.",
                FutureWarning,
                stacklevel=2,
            )
            kwargs["models"], args = args[0], args[1:]
        return function(*args, **kwargs)

    return compare


@_models_first_deprecated
def compare_models(
    X,
    y,
    X_test=None,
    y_test=None,
    *,
    models=None,
    cv=3,
    groups=None,
    params=None,
    n_jobs=None,
    random_state=0,
    verbose=True,
):
    """Compare classifiers by cross-validated accuracy and timings.

    Each model is cloned and fitted on every training fold of the same
    splits, and scored on the held-out fold, by
    :func:`sklearn.model_selection.cross_validate`; fit and predict are timed.
    When a test set is given, each model is also refitted on all of ``X, y``
    and scored on it. Every fit runs as one joblib task, so the fits of all
    models share the processors.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The training samples.
    y : array-like of shape (n_samples,)
        Their labels.
    X_test : array-like of shape (n_test_samples, n_features), default=None
        A held-out test set; give ``y_test`` with it.
    y_test : array-like of shape (n_test_samples,), default=None
        Its labels.
    models : dict, default=None
        Name to unfitted estimator. None for :func:`default_models`, the
        classic comparison (SGD, random forest, SVC one-vs-one and
        one-vs-rest), with ``random_state``. mnistkit 0.1 took the models
        first, ``compare_models(models, X, y)``: that form still works, with
        a FutureWarning, until mnistkit 0.3.
    cv : int, cross-validation splitter or iterable, default=3
        The number of stratified folds, shuffled with ``random_state``
        (stratified group folds when ``groups`` is given); or anything
        :func:`sklearn.model_selection.check_cv` accepts: a splitter such as
        :class:`~sklearn.model_selection.GroupKFold`, used as is, or an
        iterable of ``(train, test)`` index arrays.
    groups : array-like of shape (n_samples,), default=None
        Group labels of the samples (for instance the writer of each digit),
        passed to the splitter, so that a group is never on both sides of a
        split.
    params : dict, default=None
        Parameters passed to every model's ``fit``, such as
        ``{"sample_weight": w}``; arrays of one value per sample are cut to
        the training rows of each fold, as ``cross_validate`` does.
    n_jobs : int, default=None
        The number of processors the fits share, as for joblib: None means 1
        unless inside a :func:`joblib.parallel_config` context, -1 means all
        processors. With at least twice as many processors as a model has fits
        (its folds, and its refit), the fits run fewer at a time with several
        threads each: ``n_jobs // fits`` threads, given to each model whose
        ``n_jobs`` parameter is left at None, and ``n_jobs // threads`` fits
        at once.
    random_state : int, RandomState instance or None, default=0
        Seeds the shuffling of the folds (and the default models), so that a
        second run gives the same folds and, for deterministic models, the
        same scores.
    verbose : bool, default=True
        Print a line on standard error as each fit ends: the model, the fold,
        its accuracy and timings (the predict time includes scoring).

    Returns
    -------
    comparison : ModelComparison
        The scores and timings, printable as a table.

    Raises
    ------
    ValueError
        If ``X`` and ``y`` (or ``X_test`` and ``y_test``, or ``groups``)
        differ in length, if only one of ``X_test`` and ``y_test`` is given,
        if ``y`` holds fewer than two classes, or a class has fewer samples
        than stratified folds.

    See Also
    --------
    evaluate : Every figure of one fitted model on a test set.

    Notes
    -----
    The fits run through :class:`joblib.Parallel`, so they can be spread over
    a cluster by choosing a joblib backend around the call, with no other
    change; for instance with Dask (``pip install dask distributed``)::

        import joblib
        from dask.distributed import Client

        client = Client()  # or Client("scheduler-address:8786")
        with joblib.parallel_config(backend="dask"):
            comparison = compare_models(X, y, n_jobs=-1)

    Ray works the same way after ``from ray.util.joblib import
    register_ray; register_ray()``, with ``backend="ray"``.

    Timings are wall-clock seconds measured where each fit runs; with
    ``n_jobs`` above 1 fits share the processors and take longer each.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from mnistkit import compare_models, load_sample
    >>> X, y = load_sample(return_X_y=True)
    >>> models = {"knn": KNeighborsClassifier(), "prior": DummyClassifier()}
    >>> comparison = compare_models(X[:600], y[:600], models=models, verbose=False)
    >>> comparison.names, comparison.best()
    (['knn', 'prior'], 'knn')
    >>> comparison.results[0]["cv_accuracy"].round(2).tolist()
    [0.81, 0.8, 0.81]
    """
    models = default_models(random_state) if models is None else _check_models(models)
    y = _checks.check_labels_1d(y, "y")
    _checks.check_same_length(X, y, "X", "y", "images", "labels")
    _checks.check_two_classes(y, "y")
    if (X_test is None) != (y_test is None):
        msg = "X_test and y_test go together: pass both or neither."
        raise ValueError(msg)
    with_test = X_test is not None
    if with_test:
        y_test = _checks.check_labels_1d(y_test, "y_test")
        _checks.check_same_length(X_test, y_test, "X_test", "y_test", "images", "labels")
    if groups is not None:
        _checks.check_same_length(X, groups, "X", "groups", "images", "group labels")
    params = {} if params is None else dict(params)
    splitter = _splitter(cv, y, groups, random_state)
    folds = list(splitter.split(np.zeros((len(y), 1)), y, groups))
    n_splits = len(folds)

    workers, threads = workers_and_threads(effective_n_jobs(n_jobs), n_splits + int(with_test))
    tasks, jobs = [], []
    for name, model in models.items():
        for fold, (train, test) in enumerate(folds, start=1):
            tasks.append((name, f"fold {fold}/{n_splits}"))
            jobs.append(delayed(_run_fold)(_with_threads(model, threads), X, y, train, test,
                                           params))
        if with_test:
            tasks.append((name, "test"))
            jobs.append(delayed(_fit_and_score)(_with_threads(model, threads), X, y, X_test,
                                                y_test, params))

    _say(
        verbose,
        f"{len(models)} models x {n_splits} folds"
        + (" + a refit for the test set" if with_test else "")
        + f": {len(jobs)} fits, {workers} at a time"
        + (f", {threads} threads each" if threads > 1 else ""),
    )
    start = time.perf_counter()
    finished = {}  # task index -> (accuracy, fit seconds, predict seconds)
    # Each fit's line as it ends, whatever the order they were handed out in.
    parallel = Parallel(n_jobs=workers, return_as="generator_unordered")
    order = dispatch_order(tasks, workers)
    try:
        for index, outcome in parallel(delayed(_numbered)(i, jobs[i]) for i in order):
            name, what = tasks[index]
            accuracy, fit_time, predict_time = outcome
            finished[index] = outcome
            _say(
                verbose,
                f"{name} {what}: accuracy {accuracy:.4f} "
                f"(fit {fit_time:.1f} s, predict {predict_time:.1f} s)",
            )
    except KeyboardInterrupt:
        # Stopped by hand: what was finished is worth keeping on screen.
        _say(verbose, _finished_so_far(tasks, finished))
        raise
    _say(verbose, f"done in {time.perf_counter() - start:.1f} s")

    results = []
    for name in models:
        runs = _runs_of(name, tasks, finished)
        cv_runs = [outcome for what, outcome in runs if what != "test"]
        test_runs = [outcome for what, outcome in runs if what == "test"]
        test_accuracy, test_fit, test_predict = test_runs[0] if test_runs else (None,) * 3
        results.append(
            {
                "name": name,
                "cv_accuracy": np.array([run[0] for run in cv_runs]),
                "fit_time": np.array([run[1] for run in cv_runs]),
                "predict_time": np.array([run[2] for run in cv_runs]),
                "test_accuracy": test_accuracy,
                "test_fit_time": test_fit,
                "test_predict_time": test_predict,
            }
        )
    if isinstance(cv, numbers.Integral) and groups is None:
        described = None  # the default: shuffled stratified folds
    elif hasattr(cv, "split") or isinstance(cv, numbers.Integral):
        described = repr(splitter)
    else:
        described = "the given (train, test) splits"
    return ModelComparison(
        results, n_splits=n_splits, random_state=random_state, splitter=described
    )


class ModelComparison:
    """Cross-validated accuracy and timings of several models, side by side.

    Made by :func:`compare_models`; print it for a terminal table.

    Parameters
    ----------
    results : list of dict
        One dict per model, in the order compared, as described under
        ``results`` below.
    n_splits : int, default=None
        The number of cross-validation folds.
    random_state : int or None, default=None
        The seed the folds were shuffled with.
    splitter : str, default=None
        How the folds were made, when not by ``n_splits`` shuffled stratified
        folds: for instance ``"GroupKFold(n_splits=3)"``.

    Attributes
    ----------
    results : list of dict
        For each model: ``"name"``; ``"cv_accuracy"``, ``"fit_time"`` and
        ``"predict_time"``, arrays with one value per fold (times in seconds);
        ``"test_accuracy"``, ``"test_fit_time"`` and ``"test_predict_time"``,
        floats for the refit on all training data scored on the test set, or
        None without a test set.
    n_splits : int or None
        The number of folds.
    random_state : int or None
        The seed of the folds.
    splitter : str or None
        How the folds were made; None for shuffled stratified folds.

    Examples
    --------
    >>> import numpy as np
    >>> from mnistkit import ModelComparison
    >>> comparison = ModelComparison(
    ...     [
    ...         {"name": "a", "cv_accuracy": np.array([0.9, 0.8]),
    ...          "fit_time": np.array([1.0, 1.0]), "predict_time": np.array([0.1, 0.1]),
    ...          "test_accuracy": None, "test_fit_time": None, "test_predict_time": None},
    ...         {"name": "b", "cv_accuracy": np.array([0.7, 0.7]),
    ...          "fit_time": np.array([2.0, 2.0]), "predict_time": np.array([0.2, 0.2]),
    ...          "test_accuracy": None, "test_fit_time": None, "test_predict_time": None},
    ...     ],
    ...     n_splits=2,
    ... )
    >>> comparison.best()
    'a'
    >>> print(comparison)
    model      CV accuracy  fit s  predict s  test accuracy
    a      0.8500 ± 0.0500   1.00       0.10            n/a
    b      0.7000 ± 0.0000   2.00       0.20            n/a
    <BLANKLINE>
    2-fold stratified cross-validation; times are seconds per fold.
    """

    def __init__(self, results, *, n_splits=None, random_state=None, splitter=None):
        self.results = results
        self.n_splits = n_splits
        self.random_state = random_state
        self.splitter = splitter

    @property
    def names(self):
        """The model names, in the order compared."""
        return [entry["name"] for entry in self.results]

    def best(self):
        """Return the name of the most accurate model.

        By test accuracy when every model has one, else by mean
        cross-validated accuracy; the first listed wins a tie.

        Returns
        -------
        name : str
            The best model's name.

        Examples
        --------
        >>> import numpy as np
        >>> from mnistkit import ModelComparison
        >>> ModelComparison([
        ...     {"name": "a", "cv_accuracy": np.array([0.9]), "test_accuracy": 0.8},
        ...     {"name": "b", "cv_accuracy": np.array([0.8]), "test_accuracy": 0.85},
        ... ]).best()
        'b'
        """
        if all(entry.get("test_accuracy") is not None for entry in self.results):
            scores = [entry["test_accuracy"] for entry in self.results]
        else:
            scores = [float(np.mean(entry["cv_accuracy"])) for entry in self.results]
        return self.results[int(np.argmax(scores))]["name"]

    def to_dict(self):
        """Return the comparison as plain Python values that ``json.dumps`` accepts.

        Returns
        -------
        data : dict
            ``"n_splits"``, ``"random_state"``, ``"splitter"``, ``"best"``, and
            ``"models"``: one dict per model with the keys of ``results``
            (arrays as lists) plus ``"cv_accuracy_mean"`` and
            ``"cv_accuracy_std"``.

        Examples
        --------
        >>> import json
        >>> import numpy as np
        >>> from mnistkit import ModelComparison
        >>> comparison = ModelComparison([
        ...     {"name": "a", "cv_accuracy": np.array([0.5, 1.0]), "fit_time": np.array([1, 2]),
        ...      "predict_time": np.array([0, 0]), "test_accuracy": None,
        ...      "test_fit_time": None, "test_predict_time": None}], n_splits=2)
        >>> json.dumps(comparison.to_dict()["models"][0]["cv_accuracy_mean"])
        '0.75'
        """
        models = []
        for entry in self.results:
            item = dict(entry)
            item["cv_accuracy_mean"] = float(np.mean(entry["cv_accuracy"]))
            item["cv_accuracy_std"] = float(np.std(entry["cv_accuracy"]))
            models.append(item)
        return to_plain(
            {
                "n_splits": self.n_splits,
                "random_state": self.random_state
                if self.random_state is None or isinstance(self.random_state, numbers.Integral)
                else repr(self.random_state),
                "splitter": self.splitter,
                "best": self.best(),
                "models": models,
            }
        )

    def to_text(self, *, digits=4):
        """Return the comparison as an aligned table for a terminal.

        Columns: the model, its cross-validated accuracy (mean ± standard
        deviation over folds), mean fit and predict seconds per fold, and the
        test accuracy ("n/a" without a test set).

        Parameters
        ----------
        digits : int, default=4
            Digits after the decimal point of accuracies.

        Returns
        -------
        text : str
            The table, then a line on how it was measured.

        Examples
        --------
        >>> import numpy as np
        >>> from mnistkit import ModelComparison
        >>> comparison = ModelComparison([
        ...     {"name": "knn", "cv_accuracy": np.array([0.9, 0.8]), "fit_time": np.array([1, 1]),
        ...      "predict_time": np.array([3, 3]), "test_accuracy": 0.875,
        ...      "test_fit_time": 1.5, "test_predict_time": 4.0}], n_splits=2, random_state=0)
        >>> print(comparison.to_text(digits=2))
        model  CV accuracy  fit s  predict s  test accuracy
        knn    0.85 ± 0.05   1.00       3.00           0.88
        <BLANKLINE>
        2-fold stratified cross-validation (random_state=0); times are seconds per fold.
        """
        return comparison_text(self, digits=digits)

    def __str__(self):
        return self.to_text()

    def __repr__(self):
        return f"<ModelComparison of {len(self.results)} models: {', '.join(self.names)}>"

    def _repr_html_(self):
        """The comparison's table, as :meth:`to_text` prints it: for notebooks."""
        return f"<pre>{html.escape(self.to_text())}</pre>"

    def to_markdown(self, *, digits=4):
        """Return the comparison as a Markdown table, with the same columns as :meth:`to_text`.

        Parameters
        ----------
        digits : int, default=4
            Digits after the decimal point of accuracies.

        Returns
        -------
        markdown : str
            The table, then a line on how it was measured.

        Examples
        --------
        >>> import numpy as np
        >>> from mnistkit import ModelComparison
        >>> comparison = ModelComparison([
        ...     {"name": "knn", "cv_accuracy": np.array([0.9, 0.8]), "fit_time": np.array([1, 1]),
        ...      "predict_time": np.array([3, 3]), "test_accuracy": None,
        ...      "test_fit_time": None, "test_predict_time": None}], n_splits=2)
        >>> print(comparison.to_markdown(digits=2).splitlines()[2])
        | knn | 0.85 ± 0.05 | 1.00 | 3.00 | n/a |
        """
        return comparison_markdown(self, digits=digits)
