"""The shape of an MNIST image, defined once for every part of mnistkit."""

IMAGE_SIDE = 28  # pixels on each side of an MNIST image
N_PIXELS = IMAGE_SIDE * IMAGE_SIDE  # 784: the length of one flattened image
