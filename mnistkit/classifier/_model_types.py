"""What a model file may hold: the types skops may rebuild, and the check of the trees.

skops rebuilds a model from arrays and parameters, creating only objects of the
types it is told to trust: on its own, Python's numbers, strings and containers,
NumPy and SciPy arrays and scikit-learn's public estimators. ``TRUSTED_TYPES``
adds the types a fitted :class:`MNISTClassifier` holds beyond those, and nothing
else. ``tests/test_persistence.py`` fits every configuration and checks that
each saved model needs exactly these, so that a type added later fails a test
instead of being trusted, or refused, in silence.

A type that skops rebuilds can still hold bad values. scikit-learn walks a
decision tree's nodes without checking their indices, so a tree whose nodes
point outside it, or outside the features, would make ``predict`` read memory
out of bounds: :func:`check_trees` refuses such trees before the model is used.
"""

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import BaseDecisionTree

MODEL = "mnistkit.classifier._estimator.MNISTClassifier"
TREE = "sklearn.tree._tree.Tree"

TRUSTED_TYPES = (
    # mnistkit's estimators and feature transformers: parameters and fitted arrays.
    MODEL,
    "mnistkit.classifier._features.Deskew",
    "mnistkit.classifier._features.HOGFeatures",
    "mnistkit.classifier._features.MomentNormalize",
    "mnistkit.classifier._gradients.GradientDirectionFeatures",
    # Every core: image transforms in blocks, and the SVMs fitted pair by pair or
    # class by class (support vectors and coefficients as arrays).
    "mnistkit.classifier._parallel.OneVsOneSVC",
    "mnistkit.classifier._parallel.OneVsRestSVC",
    "mnistkit.classifier._parallel.TransformInBlocks",
    # mode="accurate": the committee, and its member trained on distorted copies.
    "mnistkit.classifier._committee.Committee",
    "mnistkit.classifier._distorted.FitOnDistortedCopies",
    # probability="fast": decision values as the calibrator's input, and the
    # confidence and novelty (arrays and floats).
    "mnistkit.classifier._calibration.DecisionValues",
    "mnistkit.classifier._confidence.ConfidenceModel",
    # backend="cnn": parameters, and the network's weights as NumPy arrays (no torch
    # object: the network is rebuilt from them when first used).
    "mnistkit.classifier._cnn.CNNClassifier",
    # augment= given as a Distortions or a Mix (frozen dataclasses of numbers).
    "mnistkit.classifier._augment.Distortions",
    "mnistkit.classifier._augment.Mix",
    # Inside scikit-learn's CalibratedClassifierCV: probability=True and "fast".
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._TemperatureScaling",
    "sklearn.model_selection._split.StratifiedKFold",
    # backend="rf": the nodes of each tree, checked by check_trees.
    TREE,
)


def is_model(obj):
    """Whether ``obj`` is an MNISTClassifier (or of a subclass), known by its name.

    By name, so that reading a model file needs no import of the estimator,
    which itself imports the code that saves it.
    """
    return any(_class_name(cls) == MODEL for cls in type(obj).__mro__)


def check_trees(model):
    """Raise ValueError unless every decision tree in ``model`` is sound.

    A sound tree lies in a random forest, as the trees of ``backend="rf"`` do,
    and sees as many features as the forest; each of its nodes is a leaf, or
    splits on one of those features into two nodes numbered after it (as
    scikit-learn numbers them), so that every path ends at a leaf.
    """
    objects = list(_objects(model))
    checked = set()
    for forest in objects:
        if not isinstance(forest, RandomForestClassifier) or not hasattr(forest, "estimators_"):
            continue
        for member in _as_list(forest.estimators_):
            why = _unsound(member, getattr(forest, "n_features_in_", None))
            if why:
                msg = f"it holds a decision tree {why}"
                raise ValueError(msg)
            checked.update((id(member), id(member.tree_)))
    for obj in objects:
        fitted_tree = isinstance(obj, BaseDecisionTree) and hasattr(obj, "tree_")
        if (fitted_tree or _type_name(obj) == TREE) and id(obj) not in checked:
            msg = "it holds a decision tree outside a random forest"
            raise ValueError(msg)


def _unsound(member, n_features):
    """Why the tree of a forest's member is unsound, or "" if it is sound."""
    tree = getattr(member, "tree_", None)
    if not isinstance(member, BaseDecisionTree) or _type_name(tree) != TREE:
        return "that is not a fitted decision tree"
    if not (getattr(member, "n_features_in_", None) == tree.n_features == n_features):
        return (f"for {tree.n_features} features, in a forest of "
                f"{n_features} features")
    left, right, feature = tree.children_left, tree.children_right, tree.feature
    nodes = np.arange(tree.node_count)
    split = left != -1
    if np.any(right[~split] != -1):
        return "with a leaf that has one child"
    after = (left > nodes) & (left < len(nodes)) & (right > nodes) & (right < len(nodes))
    if not np.all(after[split]):
        return "whose nodes point outside the tree or back up it"
    if np.any((feature[split] < 0) | (feature[split] >= tree.n_features)):
        return f"that splits on features outside its {tree.n_features}"
    return ""


def _objects(root):
    """Every object reachable from ``root`` through attributes and containers, once."""
    seen, stack = set(), [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (str, bytes, int, float, type, np.generic)):
            continue
        seen.add(id(obj))
        yield obj
        if isinstance(obj, dict):
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif isinstance(obj, np.ndarray):
            if obj.dtype == object:
                stack.extend(obj.ravel().tolist())
        elif hasattr(obj, "__dict__"):
            stack.extend(vars(obj).values())


def _as_list(items):
    if isinstance(items, np.ndarray):
        return items.ravel().tolist()
    return list(items) if isinstance(items, (list, tuple)) else [items]


def _type_name(obj):
    return _class_name(type(obj))


def _class_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"
