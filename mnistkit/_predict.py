"""Predicted digits with their probabilities: shared by reading numbers and the command line."""

import numpy as np


def predict_with_confidence(model, pixels):
    """Predicted labels of ``pixels`` and the probability of each.

    The probability is ``None`` for a model without ``predict_proba``.
    Pixels are passed as they are: MNISTClassifier reads the scale of each call
    from its data.
    """
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(pixels)
        best = np.argmax(proba, axis=1)
        return np.asarray(model.classes_)[best], proba[np.arange(len(best)), best]
    return np.asarray(model.predict(pixels)), None
