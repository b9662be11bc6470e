"""The scikit-learn pipeline behind an MNISTClassifier: fast mode's or accurate mode's."""

from sklearn.pipeline import Pipeline

from ._accurate import make_committee
from ._backends import feature_steps, make_model, resolve


def make_pipeline(estimator, n_samples, n_features):
    """The complete unfitted pipeline for ``estimator``'s parameters and data shape."""
    features, scaler, n_components = resolve(estimator, n_samples, n_features)
    if estimator.mode == "accurate":
        return Pipeline([("model", make_committee(estimator, n_samples, n_components))])
    front = feature_steps(
        features, scaler, n_components, estimator.random_state, estimator.n_jobs
    )
    return Pipeline([*front, ("model", make_model(estimator, n_samples))])
