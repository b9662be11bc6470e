"""``backend="cnn"``: a compact convolutional network for 28x28 digits, trained by skorch.

PyTorch and skorch are an optional extra (``pip install "mnistkit[torch]"``),
imported on first use only: by ``fit``, or by the first prediction of a loaded
model; ``import mnistkit`` never imports them. skorch's
:class:`~skorch.classifier.NeuralNetClassifier` runs the training loop; this
module gives it the network, the batches, the optimiser and the learning-rate
schedule, and wraps the fitted network as the last step of the pipeline of
:class:`~mnistkit.MNISTClassifier`.

The network, layer by layer, for a 28x28 digit with the default
``channels=(24, 48)``, ``convolutions=2``, ``kernel=3`` and ``hidden=128``:

1. convolution 3x3, 1 -> 24 channels, padding 1 (28x28 stays 28x28, no bias:
   batch norm has one), batch norm, ReLU; convolution 3x3, 24 -> 24 channels,
   batch norm, ReLU; 2x2 max-pooling -> 24 x 14 x 14;
2. the same from 24 to 48 channels -> 48 x 7 x 7;
3. flatten (2,352 values), dropout, dense 2,352 -> 128, ReLU, dropout, dense
   128 -> one logit per class. The softmax of the logits gives
   ``predict_proba``; the logits are ``decision_function``.

Each value of ``channels`` adds one such block of ``convolutions``
convolutions of ``kernel`` x ``kernel`` pixels. Two 3x3 convolutions see the
same 5x5 neighbourhood as one 5x5, with a nonlinearity between them and
fewer weights; ``channels=(32, 64), convolutions=1, kernel=5`` builds the
backend's first network. Rows of another width than MNIST's 784 pixels
(scikit-learn's checks use small tables) are padded with zeros to the next
square and read as an image of that side; pooling rounds up, so any width
works.

Training, on the device chosen by ``device``:

- **Distortions.** Each training image is moved by a random affine map on
  every pass: shifted up to ``shift`` pixels along each axis, rotated up to
  ``rotation`` degrees and scaled by up to ``zoom`` (1 +- 0.1 by default),
  resampled bilinearly with background (0) around it. The draws come from a
  torch generator seeded from ``random_state``, on the device, inside the
  network's ``forward`` in training mode only: prediction sees the images as
  given. Rows that are not 28x28 images are not distorted.
- **Optimiser and schedule.** AdamW (decoupled weight decay), with a
  one-cycle learning rate (:class:`torch.optim.lr_scheduler.OneCycleLR`,
  stepped after every batch by skorch's
  :class:`~skorch.callbacks.LRScheduler`): it rises from ``lr / 25`` to
  ``lr`` over the first 30% of the steps, then falls to nearly 0, which
  converges in few epochs.
- **Batches.** ``batch_size`` images, in a new order on each pass drawn from
  a seeded torch generator. The images are held as one tensor on the device
  and each batch is one slice of it, not a collation of single images; the
  remainder of a pass joins its last batch, so batch norm never sees a batch
  of one image.

``random_state`` seeds the weights, the order of the batches, dropout and the
distortions, so that two fits on the CPU give the same network. Torch's own
random state is restored afterwards. On a GPU, cuDNN may choose kernels whose
sums differ in the last bits between runs.

A model file holds no torch object: :meth:`CNNClassifier.__getstate__` gives
the network's weights as NumPy arrays (copied to the CPU) and its parameters,
and the network is rebuilt from them at its first prediction after loading,
on the CPU when the device it was trained on is not there.
"""

import contextlib
import functools
import math

import numpy as np
from scipy.special import softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._geometry import IMAGE_SIDE, N_PIXELS

# The defaults, from common practice for small networks on MNIST, checked on the
# shipped sample (2,000 training, 1,000 test images): 98.7% with the distortions,
# 97.6% without. benchmarks/bench_cnn.py measures them on the full MNIST.
EPOCHS = 10
BATCH_SIZE = 128
LR = 3e-3  # the peak of the one-cycle schedule
WEIGHT_DECAY = 1e-2  # AdamW's decoupled decay (torch's default)
# The layers, chosen on 10,000 training images held out (benchmarks/bench_cnn.py
# --validation --networks 2, seeds 0 and 1): two 3x3 convolutions a block made 42 and
# 37 errors where the first network, one 5x5 convolution a block of 32 and 64
# channels, made 48 and 57; 32 and 64 channels, two convolutions each, made 41 and 41
# for 1.4 times the fit.
CHANNELS = (24, 48)
CONVOLUTIONS = 2  # per block
KERNEL = 3
# What the model files of the backend's first network lack, in the estimator's
# parameters and in the network's: it had one 5x5 convolution a block.
FIRST_NETWORK = {"convolutions": 1, "kernel": 5}
HIDDEN = 128
DROPOUT = 0.25
SHIFT = 2.0  # pixels
ROTATION = 10.0  # degrees
ZOOM = 0.1  # relative change of size
# Images scored at once in predict: more than a training batch, as no gradients are kept.
PREDICT_BATCH = 1024

INSTALL_HINT = 'pip install "mnistkit[torch]"'


def import_torch():
    """Return the modules ``torch`` and ``skorch``; an ImportError naming the extra if absent."""
    try:
        import skorch
        import torch
    except ImportError as error:
        msg = (
            "backend='cnn' needs PyTorch and skorch, which mnistkit does not install by "
            f"default. Install them with: {INSTALL_HINT} (torch>=2, skorch>=1.4)."
        )
        raise ImportError(msg) from error
    return torch, skorch


def image_side(n_features):
    """The side of the square image a row of ``n_features`` values is read as."""
    return IMAGE_SIDE if n_features == N_PIXELS else math.isqrt(n_features - 1) + 1


@functools.cache
def network_class():
    """The torch module of the network (a class made once torch is imported)."""
    torch, _ = import_torch()
    nn = torch.nn
    functional = torch.nn.functional

    class DigitCNN(nn.Module):
        """Convolution blocks, then a small dense head; see the module's docstring."""

        def __init__(
            self,
            side,
            n_classes,
            channels=CHANNELS,
            convolutions=CONVOLUTIONS,
            kernel=KERNEL,
            hidden=HIDDEN,
            dropout=DROPOUT,
            shift=0.0,
            rotation=0.0,
            zoom=0.0,
            seed=0,
        ):
            super().__init__()
            self.side = side
            self.shift, self.rotation, self.zoom = shift, rotation, zoom
            self.seed = seed
            self._generators = {}  # device -> generator of the distortions
            layers, before, size = [], 1, side
            for width in channels:
                for _ in range(convolutions):
                    layers += [
                        nn.Conv2d(before, width, kernel, padding=kernel // 2, bias=False),
                        nn.BatchNorm2d(width),
                        nn.ReLU(),
                    ]
                    before = width
                layers.append(nn.MaxPool2d(2, ceil_mode=True))
                size = -(-size // 2)
            self.blocks = nn.Sequential(*layers)
            self.head = nn.Sequential(
                nn.Flatten(),
                nn.Dropout(dropout),
                nn.Linear(before * size * size, hidden),
                nn.ReLU(),
                nn.Dropout(dropout),
                nn.Linear(hidden, n_classes),
            )

        def forward(self, X):
            rows = X.reshape(X.shape[0], -1)
            missing = self.side * self.side - rows.shape[1]
            if missing:
                rows = functional.pad(rows, (0, missing))
            images = rows.reshape(-1, 1, self.side, self.side)
            if self.training and (self.shift or self.rotation or self.zoom):
                images = self.distort(images)
            return self.head(self.blocks(images))

        def distort(self, images):
            """Each image moved by its own random affine map, drawn on its device."""
            device = images.device
            generator = self._generators.get(device)
            if generator is None:
                generator = torch.Generator(device=device)
                generator.manual_seed(self.seed)
                self._generators[device] = generator
            # Four numbers in [-1, 1) per image: rotation, zoom, shift across, shift down.
            draws = (
                torch.rand((len(images), 4), generator=generator, device=device, dtype=images.dtype)
                * 2
                - 1
            )
            angle = draws[:, 0] * math.radians(self.rotation)
            size = 1 + draws[:, 1] * self.zoom
            # affine_grid maps each output pixel to where it is read from, in
            # coordinates that run from -1 to 1 across the image: a pixel is 2 / side.
            cos, sin = torch.cos(angle) / size, torch.sin(angle) / size
            across, down = (draws[:, 2:] * (self.shift * 2 / self.side)).unbind(1)
            theta = torch.stack(
                [torch.stack([cos, -sin, across], 1), torch.stack([sin, cos, down], 1)], 1
            )
            grid = functional.affine_grid(theta, list(images.shape), align_corners=False)
            return functional.grid_sample(
                images, grid, mode="bilinear", padding_mode="zeros", align_corners=False
            )

    return DigitCNN


class Batches:
    """Batches of a skorch dataset as slices of its tensors, for skorch's iterators.

    skorch calls ``Batches(dataset, batch_size=..., **iterator_params)``. One
    indexing per batch, not one per image as a DataLoader's collation does;
    the remainder of a pass joins its last batch.
    """

    def __init__(self, dataset, batch_size, shuffle=False, generator=None):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator

    def __len__(self):
        return max(len(self.dataset) // self.batch_size, 1)

    def __iter__(self):
        import torch

        n = len(self.dataset)
        order = torch.randperm(n, generator=self.generator) if self.shuffle else None
        starts = [i * self.batch_size for i in range(len(self))]
        for start, stop in zip(starts, [*starts[1:], n], strict=True):
            if order is None:
                yield self.dataset[start:stop]
            else:
                # In a tuple, skorch passes the index to the tensors as it is.
                yield self.dataset[(order[start:stop],)]


def _as_tensor(torch, array, dtype):
    """A tensor of ``array``'s data, shared where it can be, copied where it is read-only."""
    array = np.ascontiguousarray(array, dtype=dtype)
    if not array.flags.writeable:  # a read-only or memory-mapped array: torch wants to own it
        array = array.copy()
    return torch.from_numpy(array)


def _thread_count(n_jobs):
    """n_jobs as joblib reads it: a count, or -1 for every processor, -2 for all but one..."""
    import joblib

    return n_jobs if n_jobs > 0 else max(joblib.cpu_count() + 1 + n_jobs, 1)


@contextlib.contextmanager
def _torch_settings(torch, n_jobs, seed=None, device=None):
    """Torch's threads set from ``n_jobs``, and its random state seeded, for the block.

    Both are restored afterwards: the caller's torch is as it was.
    """
    before = torch.get_num_threads()
    if n_jobs is not None:
        torch.set_num_threads(_thread_count(n_jobs))
    try:
        if seed is None:
            yield
            return
        gpus = []
        if device is not None and device.type == "cuda":
            gpus = [torch.cuda.current_device() if device.index is None else device.index]
        with torch.random.fork_rng(devices=gpus):
            torch.manual_seed(seed)
            yield
    finally:
        if n_jobs is not None:
            torch.set_num_threads(before)


def resolve_device(torch, device, *, training):
    """The torch device of ``device``: "auto" is the GPU when torch sees one.

    A CUDA device that is not there is an error when training, and the CPU
    when predicting (a model trained on a GPU, loaded on a machine without one).
    """
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError, ValueError) as error:
        msg = (
            "device must be 'auto', 'cpu', 'cuda' or another torch device such as "
            f"'cuda:1'; got {device!r}."
        )
        raise ValueError(msg) from error
    if resolved.type == "cuda" and not torch.cuda.is_available():
        if training:
            msg = (
                f"device={device!r}, but torch sees no CUDA GPU here; use device='auto' "
                "(the GPU when there is one) or 'cpu'."
            )
            raise ValueError(msg)
        return torch.device("cpu")
    return resolved


class CNNClassifier(ClassifierMixin, BaseEstimator):
    """The convolutional network of ``backend="cnn"`` as a scikit-learn classifier.

    The last step of an :class:`~mnistkit.MNISTClassifier` pipeline, which
    passes ``epochs``, ``n_jobs``, ``random_state`` and ``backend_params`` to
    it. It receives rows of pixels in [0, 1] (or as the front end left them);
    see the module's docstring for the network and its training.

    Parameters
    ----------
    epochs : int, default=10
        Passes over the training images.
    batch_size : int, default=128
        Images per training step.
    lr : float, default=3e-3
        The peak learning rate of the one-cycle schedule.
    weight_decay : float, default=1e-2
        AdamW's decoupled weight decay.
    channels : tuple of int, default=(24, 48)
        Output channels of each convolution block.
    convolutions : int, default=2
        Convolutions in each block, before its pooling.
    kernel : int, default=3
        Side of each convolution's kernel, in pixels (odd: the image keeps
        its size).
    hidden : int, default=128
        Width of the dense layer of the head.
    dropout : float, default=0.25
        Dropout rate before each dense layer.
    shift : float, default=2.0
        Largest random shift of a training image, in pixels along each axis.
    rotation : float, default=10.0
        Largest random rotation of a training image, in degrees.
    zoom : float, default=0.1
        Largest random change of size of a training image (0.1: 90% to 110%).
    device : str, default="auto"
        Where to train and predict: "auto" (a CUDA GPU when torch sees one,
        else the CPU), "cpu", "cuda", or any torch device such as "cuda:1".
    verbose : int, default=0
        1 prints skorch's table of each epoch (loss and duration) as it ends.
    n_jobs : int, default=None
        Torch's CPU threads during ``fit`` and prediction (-1: every
        processor), restored afterwards; None leaves torch's setting.
    random_state : int, RandomState instance or None, default=None
        Seeds the weights, batch order, dropout and distortions.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_features_in_ : int
        Width of the rows seen in ``fit``.
    loss_curve_ : list of float
        The mean training loss of each epoch.
    network_params_ : dict
        The arguments the network is built with (its shape and distortions).
    """

    def __init__(
        self,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        lr=LR,
        weight_decay=WEIGHT_DECAY,
        channels=CHANNELS,
        convolutions=CONVOLUTIONS,
        kernel=KERNEL,
        hidden=HIDDEN,
        dropout=DROPOUT,
        shift=SHIFT,
        rotation=ROTATION,
        zoom=ZOOM,
        device="auto",
        verbose=0,
        n_jobs=None,
        random_state=None,
    ):
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.channels = channels
        self.convolutions = convolutions
        self.kernel = kernel
        self.hidden = hidden
        self.dropout = dropout
        self.shift = shift
        self.rotation = rotation
        self.zoom = zoom
        self.device = device
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X, y):
        """Train the network on rows of pixels ``X`` and their labels ``y``."""
        torch, skorch = import_torch()
        from skorch.callbacks import LRScheduler

        device = resolve_device(torch, self.device, training=True)
        X = _as_tensor(torch, X, np.float32)
        classes, codes = np.unique(np.asarray(y), return_inverse=True)
        images = X.shape[1] == N_PIXELS
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        network_params = {
            "side": image_side(X.shape[1]),
            "n_classes": len(classes),
            "channels": tuple(int(c) for c in self.channels),
            "convolutions": int(self.convolutions),
            "kernel": int(self.kernel),
            "hidden": int(self.hidden),
            "dropout": float(self.dropout),
            # Only images are distorted: the rows of other data are not pictures.
            "shift": float(self.shift) if images else 0.0,
            "rotation": float(self.rotation) if images else 0.0,
            "zoom": float(self.zoom) if images else 0.0,
            "seed": seed,
        }
        steps_per_epoch = max(len(X) // self.batch_size, 1)
        one_cycle = LRScheduler(
            policy=torch.optim.lr_scheduler.OneCycleLR,
            max_lr=self.lr,
            total_steps=self.epochs * steps_per_epoch,
            step_every="batch",
        )
        with _torch_settings(torch, self.n_jobs, seed, device):
            net = skorch.NeuralNetClassifier(
                network_class(),
                **{f"module__{key}": value for key, value in network_params.items()},
                criterion=torch.nn.CrossEntropyLoss,
                optimizer=torch.optim.AdamW,
                lr=self.lr,
                optimizer__weight_decay=self.weight_decay,
                max_epochs=self.epochs,
                batch_size=self.batch_size,
                iterator_train=Batches,
                iterator_train__shuffle=True,
                iterator_train__generator=torch.Generator().manual_seed(seed),
                iterator_valid=Batches,
                iterator_valid__batch_size=PREDICT_BATCH,
                # Every image trains: a validation split is the user's choice, outside.
                train_split=None,
                callbacks=[("one_cycle", one_cycle)],
                device=str(device),
                verbose=int(self.verbose),
            )
            # The data go to the device once; each batch is a slice of them there.
            net.fit(X.to(device), torch.from_numpy(codes).to(device))
        loss_curve = [float(loss) for loss in net.history[:, "train_loss"]]
        net.trim_for_prediction()  # the optimiser's state is not needed any more
        self.classes_ = classes
        self.n_features_in_ = X.shape[1]
        self.loss_curve_ = loss_curve
        self.network_params_ = network_params
        self.net_ = net
        self.__dict__.pop("weights_", None)
        return self

    # Predicting -------------------------------------------------------------------------

    def decision_function(self, X):
        """The logits, one column per class; for two classes, that of ``classes_[1]``
        minus that of ``classes_[0]``."""
        logits = self._logits(X)
        return logits[:, 1] - logits[:, 0] if logits.shape[1] == 2 else logits

    def predict_proba(self, X):
        """The softmax of the logits: one probability per class, rows summing to one."""
        return softmax(self._logits(X), axis=1)

    def predict(self, X):
        """The class of the highest logit."""
        return self.classes_[np.argmax(self._logits(X), axis=1)]

    def _logits(self, X):
        check_is_fitted(self)
        torch, skorch = import_torch()
        rows = _as_tensor(torch, X, np.float32)
        with _torch_settings(torch, self.n_jobs):
            net = self._network(torch, skorch)
            with torch.inference_mode():
                logits = net.forward(rows)
        return logits.numpy().astype(np.float64)

    # Model files --------------------------------------------------------------------------

    def __getstate__(self):
        """Parameters and fitted attributes, the network as NumPy arrays on the CPU."""
        state = dict(super().__getstate__())
        net = state.pop("net_", None)
        if net is not None:
            state["weights_"] = {
                name: tensor.detach().cpu().numpy().copy()
                for name, tensor in net.module_.state_dict().items()
            }
        return state

    def __setstate__(self, state):
        weights = state.get("weights_", {})
        if not isinstance(weights, dict) or not all(
            isinstance(name, str) and isinstance(array, np.ndarray)
            for name, array in weights.items()
        ):
            msg = "the network's weights must be a dict of names to NumPy arrays."
            raise ValueError(msg)
        state = {**FIRST_NETWORK, **state}
        if isinstance(state.get("network_params_"), dict):
            state["network_params_"] = {**FIRST_NETWORK, **state["network_params_"]}
        super().__setstate__(state)

    def _network(self, torch, skorch):
        """The fitted skorch net; after loading, rebuilt from the arrays at first use."""
        net = self.__dict__.get("net_")
        if net is None:
            net = self._rebuild(torch, skorch)
            self.net_ = net
        return net

    def _rebuild(self, torch, skorch):
        # The network is made on torch's "meta" device, which allocates nothing, and
        # its weights are compared with the arrays before any is used: a file that
        # describes a huge network but holds small arrays is refused, not allocated.
        damaged = (
            "the network's weights do not fit its architecture (a damaged or tampered model file)."
        )
        try:
            with torch.device("meta"):
                module = network_class()(**self.network_params_)
        except (TypeError, ValueError, RuntimeError) as error:
            raise ValueError(damaged) from error
        found = {name: (a.shape, str(a.dtype)) for name, a in self.weights_.items()}
        wanted = {
            name: (tuple(t.shape), str(t.dtype).removeprefix("torch."))
            for name, t in module.state_dict().items()
        }
        if found != wanted:
            raise ValueError(damaged)
        module.load_state_dict(
            {name: torch.from_numpy(np.array(array)) for name, array in self.weights_.items()},
            assign=True,
        )
        device = resolve_device(torch, self.device, training=False)
        net = skorch.NeuralNetClassifier(
            module,
            criterion=torch.nn.CrossEntropyLoss,
            train_split=None,
            iterator_valid=Batches,
            iterator_valid__batch_size=PREDICT_BATCH,
            device=str(device),
            verbose=0,
        )
        return net.initialize()
