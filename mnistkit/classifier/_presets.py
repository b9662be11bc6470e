"""Named MNISTClassifier settings: the classic comparison and the command line's names."""

# Short name -> MNISTClassifier parameters.
PRESETS = {
    "sgd": {"backend": "sgd"},
    "rf": {"backend": "rf"},
    "svc-ovo": {"backend": "svc", "multiclass": "ovo"},
    "svc-ovr": {"backend": "svc", "multiclass": "ovr"},
    "svc": {"backend": "svc"},
    "svc-accurate": {"backend": "svc", "mode": "accurate"},
    "logistic": {"backend": "logistic"},
    # Needs the torch extra (pip install "mnistkit[torch]"): offered by name, never
    # one of the classic four.
    "cnn": {"backend": "cnn"},
}

# The classic MNIST notebook's four models, in its order.
CLASSIC = ("sgd", "rf", "svc-ovo", "svc-ovr")


def default_models(random_state=0):
    """Return the four models of the classic MNIST comparison, unfitted.

    A linear model trained by stochastic gradient descent, a random forest,
    and a support vector classifier extended to ten digits one-vs-one and
    one-vs-rest, all :class:`~mnistkit.MNISTClassifier` instances.

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=0
        Passed to every model, for reproducible results.

    Returns
    -------
    models : dict
        ``{"sgd": ..., "rf": ..., "svc-ovo": ..., "svc-ovr": ...}``, name to
        estimator, ready for :func:`~mnistkit.compare_models`.

    Examples
    --------
    >>> from mnistkit import default_models
    >>> list(default_models())
    ['sgd', 'rf', 'svc-ovo', 'svc-ovr']
    """
    from ._estimator import MNISTClassifier

    return {
        name: MNISTClassifier(**PRESETS[name], random_state=random_state) for name in CLASSIC
    }
