"""scikit-learn's own estimator checks, for every backend.

The check data are small random tables, not images, so these run with
``features="pixels"`` (deskewing and gradient features need 28x28 images and
refuse other widths, which the checks would read as a failure to accept valid
data) and no PCA. SGD runs with ``scaler="standard"``: its default, dividing
pixels by 255, would shrink the checks' small random values towards zero.
``mode="accurate"`` shifts images by whole pixels, so it needs images too: it
is checked for scikit-learn behaviour on real digits in
``test_classifier.py``. Everything else, scaling and the multiclass wrappers
included, is the code users run. ``backend="cnn"`` needs the torch extra: its
checks are in ``test_cnn.py``, which CI runs with the extra installed.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from mnistkit import MNISTClassifier

CHECKED = [
    MNISTClassifier(backend="svc", features="pixels", random_state=0),
    MNISTClassifier(backend="svc", multiclass="ovr", features="pixels", random_state=0),
    MNISTClassifier(backend="svc", features="pixels", probability=True, random_state=0),
    MNISTClassifier(backend="svc", features="pixels", probability="fast", random_state=0),
    MNISTClassifier(backend="sgd", features="pixels", scaler="standard", random_state=0),
    MNISTClassifier(backend="rf", features="pixels", n_estimators=10, random_state=0),
    MNISTClassifier(backend="logistic", features="pixels", scaler="standard", random_state=0),
]


def expected_failures(estimator):
    """Checks that fail by design, and why."""
    if hasattr(estimator, "predict_proba"):
        # It fits on make_blobs data with negative values, which MNISTClassifier
        # refuses as pixels. The same consistency is tested on digits in
        # test_classifier.py::test_decision_function_ranks_like_predict_proba.
        return {"check_decision_proba_consistency": "negative pixels are refused"}
    return {}


@parametrize_with_checks(CHECKED, expected_failed_checks=expected_failures)
def test_scikit_learn_compatible(estimator, check):
    check(estimator)
