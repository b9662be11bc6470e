"""The description attached to every MNIST Bunch (``DESCR``)."""

MNIST_DESCR = """\
.. _mnist_dataset:

MNIST handwritten digits
------------------------

**Data set characteristics:**

:Number of instances: 70,000 (60,000 training, 10,000 test)
:Number of attributes: 784 (28x28 greyscale pixels, integers 0-255, 0 = background)
:Classes: 10 (the digits 0-9)
:Creators: Yann LeCun, Corinna Cortes, Christopher J.C. Burges
:Licence: Creative Commons Attribution-Share Alike 3.0 (CC BY-SA 3.0)

MNIST ("Modified NIST") was built from NIST's Special Databases 1 and 3: binary
images of digits written by Census Bureau employees and by high-school
students. The images were size-normalised to fit a 20x20 box, keeping their
aspect ratio, anti-aliased (hence the grey levels) and centred by centre of mass
in a 28x28 field. The training set mixes about 250 writers; the writers of the
training and test sets are disjoint.

The files are the four IDX files published by the creators. mnistkit checks
each one against the SHA-256 of the official decompressed file before use.

Use of the data set requires attribution under CC BY-SA 3.0. Please cite:

    Y. LeCun, L. Bottou, Y. Bengio and P. Haffner. "Gradient-based learning
    applied to document recognition." Proceedings of the IEEE, 86(11):2278-2324,
    November 1998.
"""

SAMPLE_DESCR = """\
.. _mnist_sample:

MNIST sample shipped with mnistkit
----------------------------------

**Data set characteristics:**

:Number of instances: 3,000 (2,000 training, 1,000 test)
:Number of attributes: 784 (28x28 greyscale pixels, integers 0-255)
:Classes: 10, balanced (200 training and 100 test images of each digit)
:Creators: Yann LeCun, Corinna Cortes, Christopher J.C. Burges
:Licence: Creative Commons Attribution-Share Alike 3.0 (CC BY-SA 3.0)

A stratified random sample of the real MNIST, drawn without replacement and
with a fixed seed from the official training set (for ``subset="train"``) and
the official test set (for ``subset="test"``) by ``tools/make_sample.py``.
The images are unchanged. ``sample_index`` gives each image's row in the
official file it came from. It lets documentation, examples and tests run
without a download; accuracies measured on it are rougher than on the full set.

The full data set is described by ``fetch_mnist().DESCR``. Please cite:

    Y. LeCun, L. Bottou, Y. Bengio and P. Haffner. "Gradient-based learning
    applied to document recognition." Proceedings of the IEEE, 86(11):2278-2324,
    November 1998.
"""
