"""The packaged model in int8 (`Colorizer(int8=True)`, `--int8`): 06b_colorizer's and 90_cli's checks, here because
quantizing and compiling an input shape takes 20–45 s on two cores with one busy (inductor's cache empty; about 10 s
with it warm), too long for a notebook cell (those cells are `#| slow`). Each test compiles one input shape."""
import contextlib, io, threading
from pathlib import Path
import numpy as np
import pytest
import skimage
from PIL import Image

pytest.importorskip('torchao', reason="int8 needs torchao: pip install 'colorful_world[int8]'")
from colorful_world.core import open_image
from colorful_world.colorizer import Colorizer

ASTRONAUT = Path(skimage.__file__).parent / 'data' / 'astronaut.png'


@pytest.fixture(scope='module')
def colorizers():
    "The packaged model in float32 and in int8; the int8 one keeps its compiled shapes from test to test."
    return Colorizer(bf16=False), Colorizer(int8=True)


def levels(a, b) -> tuple:
    "Mean and max difference of two pictures, in 8-bit levels."
    d = np.abs(np.asarray(a, dtype=int) - np.asarray(b, dtype=int))
    return d.mean(), d.max()


def test_int8_colorizes_like_fp32_and_compiles_an_input_shape_once(colorizers):
    fp32, i8 = colorizers
    assert (i8.int8, i8.bf16, i8.channels_last) == (True, False, False)
    _, landscape, _ = fp32.warm_up()  # the model's square, landscape and portrait input shapes (06b_colorizer)
    astro = open_image(ASTRONAUT)
    for img in (astro.resize((300, 200)), astro.resize((310, 190))):  # two photos, one input shape
        mean, most = levels(fp32(img), i8(img))
        assert mean < 1 and most <= 12, (mean, most)
    assert list(i8.int8_models) == [landscape]


def test_int8_warm_up_in_a_thread_does_not_hold_up_a_compiled_shape(colorizers):
    fp32, i8 = colorizers
    _, landscape, portrait = fp32.warm_up()
    astro = open_image(ASTRONAUT)
    i8(astro.resize((300, 200)))  # the landscape shape compiled (by the test above, when it ran)
    warmed = []
    warming = threading.Thread(target=lambda: warmed.extend(i8.warm_up((4 / 3, 3 / 4))))
    warming.start()
    i8(astro.resize((400, 300)))
    busy = warming.is_alive()  # the landscape photo did not wait for the portrait shape's compile
    warming.join()
    assert busy
    assert warmed == [landscape, portrait]
    assert list(i8.int8_models) == warmed


def test_cli_colorize_int8_within_a_few_levels_of_fp32(tmp_path):
    from colorful_world.cli import main
    photo = tmp_path / 'astronaut.png'
    open_image(ASTRONAUT).resize((300, 200)).save(photo)  # the shape compiled above: inductor's cache has its kernels
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(['colorize', str(photo), '-o', str(tmp_path / 'fp32')]) == 0
        assert main(['colorize', str(photo), '-o', str(tmp_path / 'int8'), '--int8']) == 0
    mean, most = levels(*(Image.open(tmp_path / d / 'astronaut.png') for d in ('fp32', 'int8')))
    assert mean < 1 and most <= 12, (mean, most)
