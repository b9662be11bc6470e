"""compare_models and GridSearchCV(MNISTClassifier()) on a Dask cluster, through joblib.

Needs the optional extra: ``pip install mnistkit[dask]`` (CI installs it). The
cluster is two worker processes on loopback; the results must be those of the
same work run in this process.
"""

import joblib
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.model_selection import GridSearchCV

from mnistkit import MNISTClassifier, compare_models, load_sample

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        # Port 0: any free port, as two clusters may start at once (pytest-xdist).
        dashboard_address="127.0.0.1:0",
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


@pytest.fixture(scope="module")
def digits():
    X, y = load_sample(return_X_y=True)
    return X[:600], y[:600]


def _workers(task_stream):
    """The workers that ran the tasks recorded in ``task_stream``."""
    return {task["worker"] for task in task_stream.data}


def test_compare_models_on_a_dask_cluster(client, digits):
    X, y = digits
    models = {"sgd": MNISTClassifier(backend="sgd", random_state=0),
              "rf": MNISTClassifier(backend="rf", n_estimators=20, random_state=0)}
    local = compare_models(X, y, models=models, cv=2, verbose=False)
    with distributed.get_task_stream(client) as tasks, joblib.parallel_config(backend="dask"):
        spread = compare_models(X, y, models=models, cv=2, n_jobs=-1, verbose=False)
    for a, b in zip(local.results, spread.results, strict=True):
        assert a["name"] == b["name"]
        assert_array_equal(a["cv_accuracy"], b["cv_accuracy"])
    assert len(_workers(tasks)) == 2, "both workers of the cluster ran fits"


def test_grid_search_on_a_dask_cluster(client, digits):
    X, y = digits
    grid = {"C": [1.0, 10.0], "n_components": [20, 40]}
    local = GridSearchCV(MNISTClassifier(random_state=0), grid, cv=2).fit(X, y)
    search = GridSearchCV(MNISTClassifier(random_state=0), grid, cv=2, n_jobs=-1)
    with distributed.get_task_stream(client) as tasks, joblib.parallel_config(backend="dask"):
        spread = search.fit(X, y)
    np.testing.assert_allclose(spread.cv_results_["mean_test_score"],
                               local.cv_results_["mean_test_score"])
    assert spread.best_params_ == local.best_params_
    assert len(_workers(tasks)) == 2, "both workers of the cluster ran fits"
