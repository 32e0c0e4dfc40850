"""System tests of `colorful-world serve` and `colorful-world colorize`: the real gunicorn server on loopback, the
original README's `curl` requests, the page in headless Chromium, and a bounded load test. Then the app's regression
checks in-process (07_serving's, with Flask's test client): JSON errors, security headers, bad options, the
module-level app and lean imports."""
import base64, io, json, logging, os, random, re, signal, socket, subprocess, sys, threading, time, zlib
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


def jpeg_claiming(w, h):
    "A JPEG of about 600 bytes whose header claims w×h pixels (a truncated photo, or a cheap way to make a server work)."
    buf = io.BytesIO(); Image.new('RGB', (16, 16)).save(buf, 'JPEG'); data = bytearray(buf.getvalue())
    i = data.index(b'\xff\xc0') + 5
    data[i:i + 4] = h.to_bytes(2, 'big') + w.to_bytes(2, 'big')
    return bytes(data)


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


BODY_TIMEOUT = 4


def start(cmd, log, port, env=None, cwd=None):
    "Start a server command with its output in `log`; wait until `/ping` answers on `port`."
    with open(log, 'wb') as f: proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    url, deadline = f'http://127.0.0.1:{port}', time.time() + 600
    while True:
        try:
            if requests.get(url + '/ping', timeout=5).ok: return SimpleNamespace(url=url, proc=proc, log=log)
        except requests.RequestException: pass  # not listening yet, or its worker still loading on a busy machine
        if proc.poll() is not None or time.time() > deadline:
            proc.kill(); pytest.fail(f'the server did not start:\n{log.read_text()}')
        time.sleep(0.25)


def stop(server):
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(60) == 0, server.log.read_text()


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    "`colorful-world serve --workers 2` on a free loopback port, with its output in a log file; stopped at the end."
    port, log = free_port(), tmp_path_factory.mktemp('serve') / 'server.log'
    s = start(['colorful-world', 'serve', '--host', '127.0.0.1', '--port', str(port), '--workers', '2',
               '--max-upload-mb', str(MAX_UPLOAD_MB), '--body-timeout', str(BODY_TIMEOUT)], log, port)
    requests.get(s.url + '/health', timeout=60)
    yield s
    stop(s)


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


def test_original_form_result(server, photos):
    "The original's page posted its form to /result, the photo as `img`, and got a page showing it colorized inline."
    with open(photos / 'coffee.png', 'rb') as f:
        r = requests.post(server.url + '/result', files={'img': f}, timeout=60)
    assert r.status_code == 200 and r.headers['Content-Type'].startswith('text/html'), r.text[:300]
    png = r.text.split('src="data:image/png;base64,', 1)[1].split('"', 1)[0]
    out = Image.open(io.BytesIO(base64.b64decode(png)))
    assert out.size == Image.open(photos / 'coffee.png').size and out.mode == 'RGB'
    assert "img-src 'self' data:" in r.headers['Content-Security-Policy'] and r.headers['X-Frame-Options'] == 'DENY'
    assert requests.post(server.url + '/result', files={'image': io.BytesIO(b'x')}, timeout=10).status_code == 400

def test_bad_requests_get_json_errors(server):
    for files, code in [({}, 400), ({'photo': ('a.jpg', b'x')}, 400), ({'image': ('a.jpg', b'')}, 400),
                        ({'image': ('a.txt', b'hello')}, 415), ({'image': ('b.png', png_header(100_000, 100_000))}, 413),
                        ({'image': ('big.bin', bytes(MAX_UPLOAD_MB * 2 ** 20 + 1))}, 413),
                        ({'image': ('claims_49_megapixels.jpg', jpeg_claiming(7000, 7000))}, 400)]:
        r = requests.post(server.url + '/colorize', files=files, timeout=60)
        assert r.status_code == code and r.headers['Content-Type'] == 'application/json', (files.keys(), r.status_code, r.text[:200])
        assert r.json()['message']
    r = requests.post(server.url + '/colorize', files={'image': ('strip.png', png_header(6_000_000, 1))}, timeout=60)
    assert r.status_code == 422 and 'more elongated than 50:1' in r.json()['message'], r.text[:200]  # from the header:
    # decoding this PNG, which holds no pixels, would have answered 400 (truncated)
    assert requests.get(server.url + '/colorize', timeout=10).status_code == 405


def wait_js(page, expr, timeout=60):
    """Poll a JavaScript expression until it is truthy. Playwright's `wait_for_function` evaluates its predicate with
    `eval` in the page, which the app's Content-Security-Policy forbids; `page.evaluate` comes from the debugger."""
    deadline = time.time() + timeout
    while not page.evaluate(expr):
        assert time.time() < deadline, f'timed out waiting for {expr}'
        time.sleep(0.1)


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
            page.on('console', lambda m: m.type == 'error' and 'Content Security Policy' in m.text and errors.append(m.text))
            page.goto(server.url + '/')
            wait_js(page, "document.getElementById('model').textContent.includes('cpu_demo')", 10)
            assert page.is_hidden('#result')
            page.set_input_files('#file', str(photos / 'wide.jpg'))
            wait_js(page, done)
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
            wait_js(page, "document.getElementById('download').download === 'dropped-colorized.png'")
            wait_js(page, done)
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
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and 'not a safetensors checkpoint' in r.stderr and 'Traceback' not in r.stderr, r.stderr


def test_colorize_command(photos, tmp_path):
    (photos / 'more').mkdir(exist_ok=True)
    Image.open(SKDATA / 'camera.png').resize((200, 100)).save(photos / 'more' / 'small.png')
    r = subprocess.run(['colorful-world', 'colorize', str(photos / 'photo.jpg'), str(photos / 'more'), '-o', str(tmp_path / 'out')],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert Image.open(tmp_path / 'out' / 'photo.png').size == (512, 512)
    assert Image.open(tmp_path / 'out' / 'small.png').size == (200, 100)


def test_ping_and_security_headers(server):
    "The original's `/ping` answers exactly as it did; every response, page, asset or error, has the security headers."
    r = requests.get(server.url + '/ping', timeout=10)
    assert r.status_code == 200 and r.json() == {'message': 'Ping!'}
    for method, route in [('get', '/'), ('get', '/static/app.js'), ('get', '/favicon.ico'), ('get', '/health'),
                          ('get', '/nope'), ('post', '/colorize')]:
        h = getattr(requests, method)(server.url + route, timeout=10).headers
        assert "frame-ancestors 'none'" in h['Content-Security-Policy'] and "script-src 'self'" in h['Content-Security-Policy'], route
        assert (h['X-Content-Type-Options'], h['X-Frame-Options'], h['Referrer-Policy']) == ('nosniff', 'DENY', 'no-referrer'), route


def http_response(sock) -> bytes:
    "One whole HTTP response from `sock`: its headers, then `Content-Length` bytes of body (they may come in pieces)."
    data = b''
    while b'\r\n\r\n' not in data and (chunk := sock.recv(4096)): data += chunk
    head, _, body = data.partition(b'\r\n\r\n')
    n = next((int(l.split(b':', 1)[1]) for l in head.split(b'\r\n') if l.lower().startswith(b'content-length:')), 0)
    while len(body) < n and (chunk := sock.recv(4096)): body += chunk
    return head + b'\r\n\r\n' + body


def test_slow_clients_cannot_starve_the_server(server):
    """Two connections held open on a 2-worker server, one trickling its headers, one stalled in its body: `/health`
    answers within a second each time, and the stalled upload is answered 408 after `--body-timeout`."""
    addr = ('127.0.0.1', int(server.url.rsplit(':', 1)[1]))
    stalled, trickling = socket.create_connection(addr), socket.create_connection(addr)
    stalled.sendall(b'POST /colorize HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n'
                    b'Content-Length: 100000\r\n\r\n--b\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\n')
    trickling.sendall(b'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ')
    done = threading.Event()
    def drip():
        while not done.wait(0.2): trickling.send(b'a')
    dripper = threading.Thread(target=drip, daemon=True); dripper.start()
    try:
        t0 = time.time()
        time.sleep(1)  # both connections are with the workers now
        for _ in range(5):
            t = time.time()
            assert requests.get(server.url + '/health', timeout=1).ok
            assert time.time() - t < 1
            time.sleep(0.2)
        stalled.settimeout(BODY_TIMEOUT + 20)
        answer = http_response(stalled)
        assert answer.startswith(b'HTTP/1.1 408'), answer[:200]
        assert BODY_TIMEOUT - 1 < time.time() - t0 < BODY_TIMEOUT + 15
        assert b'did not arrive in time' in answer
    finally:
        done.set(); dripper.join(); stalled.close(); trickling.close()
    assert requests.get(server.url + '/health', timeout=1).ok


def procfile_command(repo):
    "The `web:` command of the repository's Procfile."
    (line,) = [l for l in (repo / 'Procfile').read_text().splitlines() if l.startswith('web:')]
    return line.removeprefix('web:').strip()


def test_procfile_deployment(repo, photos, tmp_path):
    """The README's deployment section, followed in the repository: the Procfile's gunicorn command with PORT=8123
    serves the module-level app; `/ping` and `/colorize` answer as the original's did."""
    cmd = procfile_command(repo)
    assert cmd.startswith('gunicorn colorful_world.serving:app ') and '--bind 0.0.0.0:$PORT' in cmd
    assert cmd in (repo / 'README.md').read_text()  # the README shows the command that is tested here
    port = 8123
    with socket.socket() as s:
        if s.connect_ex(('127.0.0.1', port)) == 0: port = free_port()  # 8123 taken on this machine
    env = {**os.environ, 'PORT': str(port), 'WEB_CONCURRENCY': '2'}
    env.pop('COLORFUL_WORLD_MODEL', None)
    server = start(['sh', '-c', 'exec ' + cmd], tmp_path / 'procfile.log', port, env=env, cwd=repo)
    try:
        r = requests.get(server.url + '/ping', timeout=10)
        assert r.json() == {'message': 'Ping!'} and json.loads(r.text) == {'message': 'Ping!'}
        with open(photos / 'photo.jpg', 'rb') as f:
            r = requests.post(server.url + '/colorize', files={'image': f}, timeout=120)
        assert r.status_code == 200 and r.headers['Content-Type'] == 'image/png', r.text[:300]
        assert Image.open(io.BytesIO(r.content)).size == (512, 512)
        assert requests.post(server.url + '/colorize', timeout=10).status_code == 400  # no file: 400 (the original: 401)
        assert requests.get(server.url + '/health', timeout=60).json()['model'] == 'cpu_demo'
    finally: stop(server)
    assert 'gthread' in server.log.read_text()


def test_bad_checkpoints_stop_the_server_before_any_worker(bad_checkpoints, repo):
    "`serve` and the Procfile's gunicorn: one line naming the file and the problem, no traceback, no worker started."
    for path, problem in bad_checkpoints.items():
        r = subprocess.run(['colorful-world', 'serve', '--port', str(free_port()), '--model', str(path), '--workers', '2'],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 1 and r.stdout == '', (r.stdout, r.stderr)
        assert r.stderr.startswith(f'colorful-world: error: {path}: ') and problem in r.stderr and r.stderr.count('\n') == 1, r.stderr
        env = {**os.environ, 'PORT': str(free_port()), 'COLORFUL_WORLD_MODEL': str(path)}
        r = subprocess.run(['sh', '-c', 'exec ' + procfile_command(repo)], capture_output=True, text=True, timeout=300, env=env, cwd=repo)
        out = r.stdout + r.stderr
        assert r.returncode == 4 and f'error: {path}: ' in out and problem in out, out
        assert 'Traceback' not in out and 'Booting worker' not in out, out


@pytest.mark.parametrize('args, msg', [(['--port', '-1'], 'port must be between 1 and 65535 (got -1)'),
                                       (['--port', '70000'], 'port must be between 1 and 65535 (got 70000)'),
                                       (['--workers', '0'], 'workers must be positive (got 0)'),
                                       (['--max-megapixels', '0'], 'max_pixels must be positive (got 0)'),  # checked by serve
                                       (['--request-threads', '0'], 'request_threads must be positive (got 0)')])
def test_bad_serve_options_are_one_line_errors(args, msg):
    r = subprocess.run(['colorful-world', 'serve', *args], capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and r.stderr == f'colorful-world: error: {msg}\n', r.stderr


def test_bad_port_variable_is_one_line_error():
    r = subprocess.run(['colorful-world', 'serve'], capture_output=True, text=True, timeout=300, env={**os.environ, 'PORT': 'http'})
    assert r.returncode == 1 and r.stderr == "colorful-world: error: port must be a number (got 'http')\n", r.stderr


def test_python_m_serving(tmp_path):
    "`python -m colorful_world.serving` serves on $PORT; with arguments it prints its usage and exits 2."
    r = subprocess.run([sys.executable, '-m', 'colorful_world.serving', '--port', '80'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.startswith('usage: python -m colorful_world.serving'), r.stderr
    port = free_port()
    server = start([sys.executable, '-m', 'colorful_world.serving'], tmp_path / 'm.log', port, env={**os.environ, 'PORT': str(port)})
    try: assert requests.get(server.url + '/health', timeout=60).json()['status'] == 'ok'
    finally: stop(server)


def test_dockerfile_runs_the_cli(repo):
    "The Dockerfile copies files that exist and its command is a valid `serve` for containers (all interfaces, $PORT)."
    from colorful_world.cli import build_parser
    lines = (repo / 'Dockerfile').read_text().splitlines()
    for l in lines:
        if l.startswith('COPY '): assert all((repo / f).exists() for f in l.split()[1:-1]), l
    (cmd,) = [json.loads(l.removeprefix('CMD ')) for l in lines if l.startswith('CMD ')]
    args = build_parser().parse_args(cmd[1:])
    assert cmd[0] == 'colorful-world' and args.command == 'serve' and args.host == '0.0.0.0' and args.port is None
    assert 'ENV PORT=8000' in lines and 'EXPOSE 8000' in lines


# In-process: the app built by `create_app`, driven by Flask's test client (no server, no gunicorn)

@pytest.fixture(scope='module')
def client():
    from colorful_world.colorizer import Colorizer
    from colorful_world.serving import create_app
    return create_app(colorizer=Colorizer(), max_upload=2 ** 20, max_pixels=4_000_000).test_client()


def post(client, route, data=None, field='image', name='photo.jpg'):
    "POST `data` to `route` as the multipart file field `field`; no field at all when `data` is None."
    return client.post(route, data={} if data is None else {field: (io.BytesIO(data), name)})


def test_every_answer_has_the_security_headers(client):
    from colorful_world.serving import SECURITY_HEADERS
    for route in ('/', '/static/app.js', '/health', '/nope', '/favicon.ico'):
        assert {k: client.get(route).headers.get(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS, route
    assert client.post('/colorize').headers['X-Frame-Options'] == 'DENY'


def test_bad_requests_answer_json_and_the_app_keeps_serving(client):
    from colorful_world.core import open_image
    coffee = open_image(SKDATA / 'coffee.png').resize((150, 100))
    jpg = encode(coffee)
    gif = encode(coffee.convert('P'), 'GIF', save_all=True, append_images=[Image.new('P', (150, 100))], duration=100)
    cases = {'no file': (dict(), 400), 'wrong field': (dict(data=jpg, field='photo'), 400),
             'empty file': (dict(data=b''), 400), 'not an image': (dict(data=b'%PDF-1.4 ...', name='doc.pdf'), 415),
             'truncated': (dict(data=jpg[:len(jpg) // 2]), 400), 'too many pixels': (dict(data=png_header(3000, 2000)), 413),
             'bomb': (dict(data=png_header(100_000, 100_000)), 413), 'upload too big': (dict(data=bytes(2 ** 20 + 1)), 413)}
    for what, (kw, code) in cases.items():
        for route in ('/colorize', '/check_image'):
            r = post(client, route, **kw)
            assert (what, r.status_code, r.mimetype) == (what, code, 'application/json'), route
            assert r.json['message']
    assert client.post('/colorize', data=b'raw', content_type='image/png').status_code == 400  # not multipart
    assert post(client, '/colorize', gif, name='anim.gif').status_code == 200  # multi-frame: the first
    assert client.get('/colorize').status_code == 405
    assert client.get('/nope').json['status'] == 404
    assert post(client, '/colorize', jpg).status_code == 200  # still serving
    r = post(client, '/colorize', encode(Image.new('L', (3000, 20)), 'PNG'), name='strip.png')  # 150:1
    assert (r.status_code, r.mimetype) == (422, 'application/json') and 'more elongated than 50:1' in r.json['message']


def test_a_bug_answers_a_json_500_its_traceback_in_the_log_only():
    from flask.logging import default_handler
    from colorful_world.colorizer import Colorizer, read_generator
    from colorful_world.serving import create_app
    class Broken(Colorizer):
        def __call__(self, img): raise RuntimeError('a bug')
    broken = create_app(colorizer=Broken(read_generator()))
    logged, log = [], logging.Handler()
    log.emit = logged.append
    broken.logger.removeHandler(default_handler)
    broken.logger.addHandler(log)
    broken.logger.propagate = False
    r = post(broken.test_client(), '/colorize', encode(Image.open(SKDATA / 'coffee.png')))
    assert (r.status_code, r.mimetype) == (500, 'application/json')
    assert r.json == {'error': 'Internal Server Error', 'message': 'the server failed on this request; it is logged',
                      'status': 500}
    assert 'Traceback' not in r.get_data(as_text=True)
    assert logged[0].exc_info[1].args == ('a bug',)


def test_serve_refuses_bad_checkpoints_and_options_before_gunicorn(tmp_path, monkeypatch, bad_checkpoints):
    from colorful_world.serving import serve
    no_config = tmp_path / 'no_config.safetensors'
    assert no_config in bad_checkpoints
    for kw, msg in [(dict(port=-1), 'between 1 and 65535 (got -1)'), (dict(port=70000), '(got 70000)'),
                    (dict(port='http'), 'a number'), (dict(workers=0), 'workers must be positive'),
                    (dict(max_pixels=0), 'max_pixels must be positive'), (dict(model=no_config), 'no_config.safetensors')]:
        with pytest.raises(ValueError, match=re.escape(msg)): serve(**kw)
    monkeypatch.setenv('PORT', '0x50')  # as a platform would set it, wrongly
    with pytest.raises(ValueError, match=re.escape("port must be a number (got '0x50')")): serve()


def test_the_module_level_app_is_lazy_and_a_bad_model_stops_it(tmp_path):
    "The app gunicorn gets (`colorful_world.serving:app`): built at first use, its model at its first request."
    code = ('import colorful_world.serving as s; app = s.app; '
            'print(app.extensions["colorizer"], app.test_client().get("/health").json["model"])')
    env = {k: v for k, v in os.environ.items() if k != 'COLORFUL_WORLD_MODEL'}
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env=env, timeout=300)
    assert r.stdout.split() == ['None', 'cpu_demo'], r.stderr
    (tmp_path / 'model.pt').write_bytes(b'\x80\x04\x95 pickled junk')
    r = subprocess.run([sys.executable, '-c', 'from colorful_world.serving import app'], capture_output=True, text=True,
                       env={**env, 'COLORFUL_WORLD_MODEL': str(tmp_path / 'model.pt')}, timeout=300)
    assert (r.returncode, r.stderr.count('\n')) == (4, 1), r.stderr


def test_serving_imports_nothing_heavy():
    "A server starts, and every gunicorn worker imports the module, without the training loop and its tools."
    code = 'import sys; import colorful_world.serving; print(" ".join(sorted(sys.modules)))'
    mods = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.split()
    heavy = ('colorful_world.training', 'colorful_world.data', 'matplotlib', 'ipywidgets', 'torchvision')
    assert [m for m in heavy if m in mods] == []
