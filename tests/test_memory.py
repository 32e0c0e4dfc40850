"""Memory per photo is bounded (issue 17): thin strips up to `MAX_PIXELS` pixels are refused (422) or colorized, and a
50-megapixel photo takes well under 1.5 GB. Each upload goes through the app (`create_app`'s test client: decoding,
colorizing, PNG encoding) in a fresh process, whose peak RSS is measured (`ru_maxrss`) after a warm-up request."""
import json, subprocess, sys
import pytest

CHILD = r'''
import io, json, resource, sys
from PIL import Image
from colorful_world.serving import create_app
client = create_app(threads=1).test_client()  # a worker's share of two cores with two workers
post = lambda data: client.post('/colorize', data={'image': (io.BytesIO(data), 'photo.png')})
post(open(sys.argv[2], 'rb').read())  # warm up on a small photo: the model loaded and run once
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
r = post(open(sys.argv[1], 'rb').read())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
size = list(Image.open(io.BytesIO(r.data)).size) if r.status_code == 200 else None
print(json.dumps(dict(status=r.status_code, message=r.json['message'] if r.is_json else '', size=size, base_mb=base, peak_mb=peak)))
'''
LIMIT_MB = 1500  # issue 17: at most 1.5 GB per worker

MAKE = r'''
import sys
from PIL import Image
w, h = map(int, sys.argv[2:4])
g = Image.linear_gradient('L')
Image.merge('RGB', [g.resize((w, h)), g.rotate(90).resize((w, h)), g.transpose(Image.Transpose.FLIP_TOP_BOTTOM).resize((w, h))]).save(sys.argv[1])
'''


def photo(path, w, h):
    """A `w`×`h` PNG of smooth gradients (small on disk however many pixels), made in another process: a child's
    `ru_maxrss` starts from its parent's at `fork`, so the parent must stay small."""
    subprocess.run([sys.executable, '-c', MAKE, str(path), str(w), str(h)], check=True, timeout=300)
    return path


def upload(tmp_path, w, h):
    "What the app answers to a `w`×`h` upload, with the process's peak RSS in MB before and after it."
    small = photo(tmp_path / 'small.png', 64, 48)
    r = subprocess.run([sys.executable, '-c', CHILD, str(photo(tmp_path / f'{w}x{h}.png', w, h)), str(small)],
                       capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout)


@pytest.mark.parametrize('w,h', [(6_000_000, 1), (1, 6_000_000), (50_000_000, 1), (1, 50_000_000), (5000, 99)])
def test_thin_strips_are_refused_with_bounded_memory(tmp_path, w, h):
    out = upload(tmp_path, w, h)
    assert out['status'] == 422 and 'more elongated than 50:1' in out['message'], out
    assert out['peak_mb'] < LIMIT_MB, out


@pytest.mark.parametrize('w,h', [(50_000, 1000), (1000, 50_000), (8660, 5773)])
def test_50_megapixels_in_bounded_memory(tmp_path, w, h):
    "The most elongated photos accepted and a 50 MP photo: colorized at full size within the budget."
    out = upload(tmp_path, w, h)
    assert out['status'] == 200 and out['size'] == [w, h], out
    assert out['peak_mb'] < LIMIT_MB, out
    print(f"{w}×{h}: {out['base_mb']:.0f} MB after warm-up, {out['peak_mb']:.0f} MB peak "
          f"({(out['peak_mb'] - out['base_mb']) / (w * h / 1e6):.1f} MB per megapixel)")
