"""Draw the picture on the documentation's front page: a dashboard, from the sample.

Run from the repository root after changing how the dashboard looks::

    python docs/_static/make_front_page_image.py

It trains ``MNISTClassifier(probability=True, random_state=0)`` on the 2,000
training images of the sample that ships with mnistkit and draws the dashboard of
its 1,000 test images to ``docs/_static/dashboard.png``. No download needed.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from mnistkit import MNISTClassifier, evaluate, load_sample, plot_dashboard

HERE = Path(__file__).resolve().parent


def main():
    train, test = load_sample(subset="train"), load_sample(subset="test")
    clf = MNISTClassifier(probability=True, random_state=0).fit(train.data, train.target)
    result = evaluate(clf, test.data, test.target)
    dashboard = plot_dashboard(
        result,
        title=f"MNISTClassifier on the shipped sample: {result.accuracy:.1%} of "
              f"{result.n_samples:,} test digits right",
    )
    path = dashboard.savefig(HERE / "dashboard.png", dpi=90)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
