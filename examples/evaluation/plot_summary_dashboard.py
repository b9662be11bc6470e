"""
One page per model: the dashboard
=================================

:func:`~mnistkit.plot_dashboard` sums an evaluation up on one page: the
confusion matrix with its diagonal greyed, the ROC and precision/recall
curves, and the most confident mistakes. :func:`~mnistkit.save_figures` writes
that page and every other plot of the evaluation to files, which is what
``mnistkit evaluate --output`` does.

This example evaluates the fast linear model, ``backend="sgd"``.
"""

# %%
# Fit and evaluate
# ----------------
import os

from mnistkit import MNISTClassifier, evaluate, fetch_mnist, load_sample

if os.environ.get("MNISTKIT_EXAMPLES_FULL") == "1":
    train, test = fetch_mnist(subset="train"), fetch_mnist(subset="test")
else:
    train, test = load_sample(subset="train"), load_sample(subset="test")

sgd = MNISTClassifier(backend="sgd", random_state=0).fit(train.data, train.target)
result = evaluate(sgd, test.data, test.target)
print(repr(result))

# %%
# The page
# --------
# The linear model has no probabilities, so its mistakes are ranked, as in
# ``result.misclassified``, by the decision value it gave the predicted digit,
# a score without bounds, which the panel's title names.
# ``MNISTClassifier(backend="sgd", probability=True)`` gives probabilities
# instead.
from mnistkit import plot_dashboard

dashboard = plot_dashboard(result, title=f"SGD: accuracy {result.accuracy:.2%}")
# sphinx_gallery_thumbnail_number = 1

# %%
# Every figure, written to files
# ------------------------------
# PNG here; SVG and PDF are available too (``formats=("png", "svg")``). The
# report itself, as text, Markdown and JSON, is written by
# :meth:`EvaluationResult.save <mnistkit.EvaluationResult.save>`.
import tempfile
from pathlib import Path

from mnistkit import save_figures

folder = Path(tempfile.mkdtemp())
for path in save_figures(result, folder / "figures") + result.save(folder / "report"):
    print(f"{path.relative_to(folder)}  ({path.stat().st_size / 1000:.0f} kB)")
