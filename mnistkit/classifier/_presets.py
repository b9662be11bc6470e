"""Named MNISTClassifier settings: the classic comparison and the command line's names."""

# Short name -> MNISTClassifier parameters.
PRESETS = {
    "sgd": {"backend": "sgd"},
    "rf": {"backend": "rf"},
    "svc-ovo": {"backend": "svc", "multiclass": "ovo"},
    "svc-ovr": {"backend": "svc", "multiclass": "ovr"},
    "svc": {"backend": "svc"},
    "svc-accurate": {"backend": "svc", "mode": "accurate"},
}

# The classic MNIST notebook's four models, in its order.
CLASSIC = ("sgd", "rf", "svc-ovo", "svc-ovr")
