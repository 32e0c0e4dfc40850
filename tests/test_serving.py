"""System tests of `colorful-world serve` and `colorful-world colorize`: the real gunicorn server on loopback, the
original README's `curl` requests, the page in headless Chromium, and a bounded load test."""
import base64, io, random, signal, socket, subprocess, time, zlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
import numpy as np
import psutil, pytest, requests
import skimage
from PIL import Image

from conftest import CHROMIUM, CHROMIUM_ARGS
SKDATA = Path(skimage.__file__).parent / 'data'
MAX_UPLOAD_MB = 4


def encode(img, fmt='JPEG', **kw):
    buf = io.BytesIO(); img.save(buf, fmt, **kw); return buf.getvalue()


def png_header(w, h):
    "A PNG claiming to be w×h pixels with (almost) no pixel data: enough for `Image.open`, a bomb for `load`."
    chunk = lambda kind, data: len(data).to_bytes(4, 'big') + kind + data + zlib.crc32(kind + data).to_bytes(4, 'big')
    ihdr = w.to_bytes(4, 'big') + h.to_bytes(4, 'big') + bytes([8, 2, 0, 0, 0])
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b'')) + chunk(b'IEND', b'')


@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    "A grayscale photo (JPEG, as a user would upload), a color photo, and a wide one of an odd size."
    d = tmp_path_factory.mktemp('photos')
    Image.open(SKDATA / 'camera.png').save(d / 'photo.jpg', quality=90)
    Image.open(SKDATA / 'coffee.png').save(d / 'coffee.png')
    Image.open(SKDATA / 'motorcycle_left.png').convert('L').resize((741, 251)).save(d / 'wide.jpg')
    return d


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    "`colorful-world serve --workers 2` on a free loopback port, with its output in a log file; stopped at the end."
    port, log = free_port(), tmp_path_factory.mktemp('serve') / 'server.log'
    with open(log, 'wb') as f:
        proc = subprocess.Popen(['colorful-world', 'serve', '--host', '127.0.0.1', '--port', str(port), '--workers', '2',
                                 '--max-upload-mb', str(MAX_UPLOAD_MB)], stdout=f, stderr=subprocess.STDOUT)
    url, deadline = f'http://127.0.0.1:{port}', time.time() + 120
    while True:
        try:
            if requests.get(url + '/health', timeout=5).ok: break
        except requests.ConnectionError: pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill(); pytest.fail(f'the server did not start:\n{log.read_text()}')
        time.sleep(0.25)
    yield SimpleNamespace(url=url, proc=proc, log=log)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 0, log.read_text()


def test_health(server):
    h = requests.get(server.url + '/health', timeout=10).json()
    assert h['status'] == 'ok' and h['model'] == 'cpu_demo' and h['space'] == 'lab'
    assert h['max_upload_bytes'] == MAX_UPLOAD_MB * 2 ** 20


def test_readme_curl_requests(server, photos):
    """`curl -F "image=@photo.jpg" http://localhost:5000/colorize -o colorized.png`, and the same to /check_image."""
    for name in ('photo.jpg', 'coffee.png', 'wide.jpg'):
        with open(photos / name, 'rb') as f:
            r = requests.post(server.url + '/colorize', files={'image': f}, timeout=60)
        assert r.status_code == 200 and r.headers['Content-Type'] == 'image/png', r.text[:300]
        out = Image.open(io.BytesIO(r.content))
        assert out.format == 'PNG' and out.mode == 'RGB' and out.size == Image.open(photos / name).size
        a = np.asarray(out, dtype=int)
        assert (a.max(-1) - a.min(-1)).mean() > 1  # it has colors
    with open(photos / 'photo.jpg', 'rb') as f:
        r = requests.post(server.url + '/check_image', files={'image': f}, timeout=60)
    assert r.status_code == 200
    assert r.json() == {'image_shape': [512, 512], 'is_grayscale_image': True, 'is_grayish': True}
    with open(photos / 'coffee.png', 'rb') as f:
        assert requests.post(server.url + '/check_image', files={'image': f}, timeout=60).json() == \
            {'image_shape': [400, 600, 3], 'is_grayscale_image': False, 'is_grayish': False}


def test_bad_requests_get_json_errors(server):
    for files, code in [({}, 400), ({'photo': ('a.jpg', b'x')}, 400), ({'image': ('a.jpg', b'')}, 400),
                        ({'image': ('a.txt', b'hello')}, 415), ({'image': ('b.png', png_header(100_000, 100_000))}, 413),
                        ({'image': ('big.bin', bytes(MAX_UPLOAD_MB * 2 ** 20 + 1))}, 413)]:
        r = requests.post(server.url + '/colorize', files=files, timeout=60)
        assert r.status_code == code and r.headers['Content-Type'] == 'application/json', (files.keys(), r.status_code, r.text[:200])
        assert r.json()['message']
    assert requests.get(server.url + '/colorize', timeout=10).status_code == 405


def test_page_in_headless_chromium(server, photos, repo):
    "Upload with the file picker and by drag-and-drop; both photos appear, the result at the photo's own size."
    assert Path(CHROMIUM).exists(), f'{CHROMIUM} is missing: install it (apt-get install -y chromium) to test the page'
    from playwright.sync_api import sync_playwright
    artifacts = repo / 'tests' / 'artifacts'; artifacts.mkdir(exist_ok=True)  # gitignored
    done = "document.getElementById('colorized').complete && document.getElementById('colorized').naturalWidth > 0"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={'width': 1200, 'height': 900})
            errors = []; page.on('pageerror', lambda e: errors.append(str(e)))
            page.goto(server.url + '/')
            page.wait_for_function("document.getElementById('model').textContent.includes('cpu_demo')", timeout=10_000)
            assert page.is_hidden('#result')
            page.set_input_files('#file', str(photos / 'wide.jpg'))
            page.wait_for_function(done, timeout=60_000)
            assert page.evaluate("[colorized.naturalWidth, colorized.naturalHeight]") == list(Image.open(photos / 'wide.jpg').size)
            assert page.evaluate("original.naturalWidth") == 741
            assert page.get_attribute('#download', 'href').startswith('blob:')
            assert page.get_attribute('#download', 'download') == 'wide-colorized.png'
            assert 'Done' in page.text_content('#status')
            page.screenshot(path=str(artifacts / 'serving_page.png'), full_page=True)

            data = base64.b64encode((photos / 'photo.jpg').read_bytes()).decode()
            page.evaluate("""data => {
                const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0)), dt = new DataTransfer();
                dt.items.add(new File([bytes], 'dropped.jpg', {type: 'image/jpeg'}));
                document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
            }""", data)
            page.wait_for_function("document.getElementById('download').download === 'dropped-colorized.png'", timeout=60_000)
            page.wait_for_function(done, timeout=60_000)
            assert page.evaluate("[colorized.naturalWidth, colorized.naturalHeight]") == [512, 512]

            page.set_input_files('#file', files=[{'name': 'notes.txt', 'mimeType': 'text/plain', 'buffer': b'not a photo'}])
            page.wait_for_selector('#status.error', timeout=30_000)
            assert 'HTTP 415' in page.text_content('#status')
            assert page.is_hidden('#result')  # no stale result next to the error
            page.screenshot(path=str(artifacts / 'serving_page_error.png'))
            assert errors == []
        finally: browser.close()


def test_bounded_load(server, photos):
    "300 requests from 8 threads, good and bad mixed: no 5xx, every answer as expected, memory flat."
    good = [encode(Image.open(SKDATA / 'camera.png').resize((s, s))) for s in (256, 384, 512)] + \
           [(photos / 'coffee.png').read_bytes(), (photos / 'wide.jpg').read_bytes()]
    bad = [(b'', 400), (b'GIF89a broken', 415), (b'plain text', 415), (good[0][:2000], 400), (png_header(20_000, 20_000), 413)]
    kinds = [('colorize', g, 200) for g in good] + [('check_image', g, 200) for g in good[:2]] + [('colorize', b, c) for b, c in bad]

    def send(i):
        route, data, want = kinds[i % len(kinds)]
        r = requests.post(f'{server.url}/{route}', files={'image': ('upload', data)}, timeout=120)
        return i, want, r.status_code, r.headers.get('Content-Type')

    proc = psutil.Process(server.proc.pid)
    rss = lambda: sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])
    with ThreadPoolExecutor(8) as ex: list(ex.map(send, range(2 * len(kinds))))  # warm up both workers on every kind
    warm, order = rss(), list(range(300))
    random.Random(0).shuffle(order)
    t = time.time()
    with ThreadPoolExecutor(8) as ex: results = list(ex.map(send, order))
    secs, final = time.time() - t, rss()
    codes = Counter(code for _, _, code, _ in results)
    assert not [r for r in results if r[2] >= 500], codes
    assert all(code == want for _, want, code, _ in results), [r for r in results if r[1] != r[2]][:5]
    assert all(ct == ('image/png' if want == 200 and kinds[i % len(kinds)][0] == 'colorize' else 'application/json')
               for i, want, _, ct in results)
    assert final < 1.5 * warm + 100 * 2 ** 20, (warm / 2 ** 20, final / 2 ** 20)
    assert requests.get(server.url + '/health', timeout=10).ok
    print(f'300 requests in {secs:.1f} s ({codes}); RSS {warm / 2 ** 20:.0f} MiB after warm-up, {final / 2 ** 20:.0f} MiB after')


def test_serve_refuses_a_bad_model_at_once(tmp_path):
    (tmp_path / 'model.pt').write_bytes(b'\x80\x04\x95 pickled junk')
    r = subprocess.run(['colorful-world', 'serve', '--port', str(free_port()), '--model', str(tmp_path / 'model.pt')],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and 'not a safetensors checkpoint' in r.stderr and 'Traceback' not in r.stderr, r.stderr


def test_colorize_command(photos, tmp_path):
    (photos / 'more').mkdir(exist_ok=True)
    Image.open(SKDATA / 'camera.png').resize((200, 100)).save(photos / 'more' / 'small.png')
    r = subprocess.run(['colorful-world', 'colorize', str(photos / 'photo.jpg'), str(photos / 'more'), '-o', str(tmp_path / 'out')],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert Image.open(tmp_path / 'out' / 'photo.png').size == (512, 512)
    assert Image.open(tmp_path / 'out' / 'small.png').size == (200, 100)
