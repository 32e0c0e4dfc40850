"""Regression checks of `colorful_world.colorizer` (06b_colorizer) that teach nothing there: PNGs of every shape
written losslessly, the CPU's fast paths against the plain one, every kind of bad upload and decompression bomb,
bad checkpoints, memory given back, and lean imports."""
import io, subprocess, sys, time, zlib
from pathlib import Path
import numpy as np
import pytest
import skimage
import torch
from PIL import Image
from werkzeug.exceptions import HTTPException

from colorful_world import colorizer
from colorful_world.colorizer import (MAX_ASPECT, MAX_PIXELS, Colorizer, PhotoRefused, check_model,
                                      default_model_path, read_generator, read_upload, release_memory,
                                      write_png)
from colorful_world.core import open_image, to_rgb

SKDATA = Path(skimage.__file__).parent / 'data'


def encoded(img, fmt='PNG', **kw) -> bytes:
    "The bytes of `img` as a file in `fmt` holds them."
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def png_header(w, h) -> bytes:
    "A PNG claiming to be w×h pixels with (almost) no pixel data: enough for `Image.open`, a bomb for `load`."
    chunk = lambda kind, data: len(data).to_bytes(4, 'big') + kind + data + zlib.crc32(kind + data).to_bytes(4, 'big')
    ihdr = w.to_bytes(4, 'big') + h.to_bytes(4, 'big') + bytes([8, 2, 0, 0, 0])
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b'')) + chunk(b'IEND', b'')


def jpeg_claiming(w, h) -> bytes:
    "A JPEG of about 600 bytes whose header claims w×h pixels."
    data = bytearray(encoded(Image.new('RGB', (16, 16)), 'JPEG'))
    i = data.index(b'\xff\xc0') + 5  # the frame header: precision, height, width
    data[i:i + 4] = h.to_bytes(2, 'big') + w.to_bytes(2, 'big')
    return bytes(data)


@pytest.fixture(scope='module')
def col():
    return Colorizer()


def test_write_png_is_lossless_for_every_shape(col):
    big = col(open_image(SKDATA / 'astronaut.png').resize((1536, 1536)))
    ours = col(Image.open(SKDATA / 'camera.png'))
    for im in [big, ours, Image.new('RGB', (1, 1), (3, 2, 1)), Image.new('RGB', (7000, 1), (9, 99, 199)),
               big.resize((1, 5000))]:
        buf = io.BytesIO()
        write_png(im, buf)
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(buf.getvalue()))), np.asarray(im)), im.size


def test_fast_paths_change_a_photo_by_a_few_levels_at_most():
    "channels_last and bf16 (06b's *Fast on a CPU*) against plain float32."
    plain = Colorizer(read_generator(), channels_last=False, bf16=False)
    fast = Colorizer(read_generator(), channels_last=True, bf16=True)
    rgb = to_rgb(Image.open(SKDATA / 'camera.png'))  # 512²
    diff = np.abs(np.asarray(plain(rgb), dtype=int) - np.asarray(fast(rgb), dtype=int))
    assert diff.mean() < 1 and diff.max() <= 12, (diff.mean(), diff.max())
    small = rgb.resize((256, 256))
    assert torch.allclose(plain.predict_ab(small), fast.predict_ab(small), rtol=0, atol=0.05)


def refused(data, *args, **kw) -> HTTPException:
    "The HTTP error `read_upload` raises for `data`."
    with pytest.raises(HTTPException) as e: read_upload(data, *args, **kw)
    return e.value


def test_read_upload_refuses_what_is_not_a_usable_image():
    coffee = open_image(SKDATA / 'coffee.png').resize((150, 100))
    jpg = encoded(coffee, 'JPEG')
    assert read_upload(jpg).size == (150, 100)
    gif = encoded(coffee.convert('P'), 'GIF', save_all=True, append_images=[Image.new('P', (150, 100))], duration=100)
    assert np.asarray(read_upload(gif).convert('RGB')).std() > 10  # the first frame, not the blank second
    for data, code, msg in [(b'', 400, 'empty'), (b'hello', 415, 'not an image'), (jpg[:len(jpg) // 2], 400, 'truncated'),
                            (png_header(9000, 9000), 413, '81 megapixels'),
                            (png_header(100_000, 100_000), 413, 'decompression bomb')]:
        e = refused(data)
        assert e.code == code and msg in e.description, (msg, e.code, e.description)


def test_a_jpeg_too_small_for_its_pixels_is_refused_from_its_header():
    t = time.perf_counter()
    for max_pixels, code, msg in [(40_000_000, 413, '49 megapixels'), (MAX_PIXELS, 400, 'truncated')]:
        e = refused(jpeg_claiming(7000, 7000), max_pixels)
        assert e.code == code and msg in e.description, e.description
    assert time.perf_counter() - t < 0.5, time.perf_counter() - t  # refused from the header, nothing decoded
    flat = encoded(Image.new('RGB', (2000, 1000), (90, 120, 150)), 'JPEG', quality=5)  # whole: small, not too small
    assert read_upload(flat).size == (2000, 1000)


def test_too_thin_a_strip_is_refused_from_its_header():
    with pytest.raises(PhotoRefused, match='more elongated than 50:1'): read_upload(png_header(6_000_000, 1), max_aspect=MAX_ASPECT)
    assert read_upload(encoded(Image.new('RGB', (700, 14))), max_aspect=MAX_ASPECT).size == (700, 14)  # 50:1 is taken


def test_check_model_names_the_file_and_the_problem_in_one_line(bad_checkpoints):
    for path, problem in bad_checkpoints.items():
        with pytest.raises(ValueError) as e: check_model(path)
        assert problem in str(e.value) and str(e.value).startswith(str(path)) and '\n' not in str(e.value), e.value
    assert check_model() == default_model_path()


def test_release_memory_trims_glibc_on_linux_only():
    release_memory()  # glibc's malloc_trim on Linux; nothing elsewhere
    assert (colorizer._LIBC is None) == (not sys.platform.startswith('linux'))


def test_lean_imports():
    "A script that colorizes imports neither the training loop nor Flask, matplotlib, ipywidgets or torchvision."
    code = 'import sys; import colorful_world.colorizer; print(" ".join(sorted(sys.modules)))'
    mods = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.split()
    heavy = ('colorful_world.training', 'colorful_world.data', 'colorful_world.serving', 'flask', 'matplotlib',
             'ipywidgets', 'torchvision')
    assert [m for m in heavy if m in mods] == []
