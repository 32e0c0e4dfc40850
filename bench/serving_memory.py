"""Serving memory: peak RSS of each worker of `colorful-world serve` while several 50-megapixel uploads arrive at once.

    python bench/serving_memory.py [--megapixels 49.5] [--uploads 4] [--workers 2] [--json]

photos:  the real photos that ship with scikit-image and matplotlib (`demo_images`), enlarged (LANCZOS) to about
         `--megapixels` each and saved as JPEGs of quality 90 with their ICC profiles, as a camera would.
server:  `colorful-world serve --workers W` as the README starts it (gunicorn, gthread workers, the packaged model,
         its default limits and `jobs`), on a free port, in its own process group.
uploads: all sent at once, one thread each, to `POST /colorize`; each answer's status, seconds, and its PNG's size or
         its JSON error.
memory:  each worker's RSS sampled every 20 ms, and its peak as the kernel counts it (`VmHWM` in /proc/PID/status),
         read after the last answer; `base_mb` is the worker's RSS once it has loaded the model and answered /health.
Issue 17's target: every worker's peak ≤ 1.5 GB, every upload answered (200, or a clear 4xx/503 JSON), no 5xx, no
worker killed or replaced.
"""
import io, os, shutil, signal, socket, subprocess, sys, tempfile, threading, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import parser, report
from cpu_serving import make_photos

LIMIT_MB = 1500  # issue 17: at most 1.5 GB per worker


def hwm_mb(pid: int) -> float:
    "The peak RSS of process `pid` so far, in MB, as the kernel counts it (`VmHWM`)."
    with open(f'/proc/{pid}/status') as f:
        return next(int(l.split()[1]) for l in f if l.startswith('VmHWM')) / 1024


def start_server(workers: int, log: Path, extra: list) -> tuple:
    "`colorful-world serve --workers W` on a free port: the process (a new session) and the base URL."
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    exe = shutil.which('colorful-world')
    cmd = [exe] if exe else [sys.executable, '-c', 'from colorful_world.cli import main; main()']
    cmd += ['serve', '--workers', str(workers), '--host', '127.0.0.1', '--port', str(port), *extra]
    proc = subprocess.Popen(cmd, stdout=log.open('wb'), stderr=subprocess.STDOUT, start_new_session=True)
    return proc, f'http://127.0.0.1:{port}', ' '.join(['colorful-world', *cmd[1 if exe else 3:]])


def wait_ready(proc, url: str, workers: int, secs: float = 300) -> list:
    "The worker processes, once there are `workers` of them and the server answers /health; raises if it does not."
    import psutil, requests
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if proc.poll() is not None: raise RuntimeError(f'the server exited with {proc.returncode}')
        kids = psutil.Process(proc.pid).children()
        try: ok = len(kids) == workers and all(requests.get(f'{url}/health', timeout=5).ok for _ in range(2 * workers))
        except requests.RequestException: ok = False
        if ok: return kids
        time.sleep(0.5)
    raise TimeoutError(f'the server did not answer /health with {workers} workers within {secs:.0f} s')


class Sampler(threading.Thread):
    "Samples the RSS of `procs` every `every` seconds until stopped: the largest seen, per pid."
    def __init__(self, procs, every: float = 0.02):
        super().__init__(daemon=True)
        self.procs, self.every, self.peak, self.stop = procs, every, {p.pid: 0. for p in procs}, threading.Event()

    def run(self):
        while not self.stop.is_set():
            for p in self.procs:
                try: self.peak[p.pid] = max(self.peak[p.pid], p.memory_info().rss / 2**20)
                except Exception: pass  # a worker gone: reported at the end
            time.sleep(self.every)


def post(url: str, path: Path) -> dict:
    "One upload to /colorize: status, seconds, and what came back."
    import requests
    from PIL import Image
    t = time.perf_counter()
    try:
        r = requests.post(f'{url}/colorize', files={'image': (path.name, path.read_bytes(), 'image/jpeg')}, timeout=900)
    except requests.RequestException as e:
        return dict(status=None, seconds=time.perf_counter() - t, answer=f'no answer: {type(e).__name__}: {e}'[:200])
    secs = time.perf_counter() - t
    if r.status_code == 200 and r.headers.get('content-type') == 'image/png':
        answer = 'PNG {}×{}, {:.0f} MB'.format(*Image.open(io.BytesIO(r.content)).size, len(r.content) / 1e6)
    elif r.headers.get('content-type', '').startswith('application/json'):
        answer = f"JSON: {r.json().get('message')}"
    else: answer = f"{r.headers.get('content-type')}: {r.text[:100]!r}"
    return dict(status=r.status_code, seconds=secs, answer=answer)


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--megapixels', type=float, default=49.5, help='size of each photo (the server takes up to 50 MP)')
    ap.add_argument('--uploads', type=int, default=4, help='photos sent at once')
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--serve-args', nargs='*', default=[], help='more `colorful-world serve` options, e.g. --threads 1')
    args = ap.parse_args()
    import psutil
    from PIL import Image
    from colorful_world.colorizer import torch_threads
    tmp = Path(tempfile.mkdtemp())
    photos = make_photos(tmp, args.megapixels, args.uploads)
    while len(photos) < args.uploads: photos.append(photos[len(photos) % len(photos)])
    proc, url, command = start_server(args.workers, tmp / 'server.log', args.serve_args)
    try:
        kids = wait_ready(proc, url, args.workers)
        base = {p.pid: p.memory_info().rss / 2**20 for p in kids}
        sampler = Sampler(kids)
        sampler.start()
        t = time.perf_counter()
        with ThreadPoolExecutor(len(photos)) as ex: answers = list(ex.map(lambda p: post(url, p), photos))
        wall = time.perf_counter() - t
        sampler.stop.set()
        sampler.join()
        alive = {p.pid for p in psutil.Process(proc.pid).children()}
        peak = {p.pid: hwm_mb(p.pid) if p.pid in alive else None for p in kids}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)
    log = (tmp / 'server.log').read_text(errors='replace')
    rows = []
    for i, (p, a) in enumerate(zip(photos, answers)):
        with Image.open(p) as im: mp = im.width * im.height / 1e6
        rows.append(dict(what=f'upload {i + 1}: {p.stem}, {mp:.1f} MP, {p.stat().st_size / 1e6:.1f} MB JPEG',
                         **a | dict(seconds=round(a['seconds'], 1))))
    for i, p in enumerate(kids):
        rows.append(dict(what=f'worker {i + 1}', answer='alive' if p.pid in alive else 'GONE (killed or restarted)',
                         base_mb=round(base[p.pid]), sampled_peak_mb=round(sampler.peak[p.pid]),
                         peak_mb=round(peak[p.pid]) if peak[p.pid] else None))
    statuses = [a['status'] for a in answers]
    proper = all(s == 200 or s in (413, 415, 422, 503) or (s and 400 <= s < 500) for s in statuses)
    worst = max((v for v in peak.values() if v), default=None)
    sa = args.serve_args
    threads = int(sa[sa.index('--threads') + 1]) if '--threads' in sa else torch_threads(args.workers)
    extra = dict(server=command, torch_threads_per_worker=threads, uploads=len(photos), wall_s=round(wall, 1),
                 limit_mb=LIMIT_MB,
                 worst_peak_mb=round(worst) if worst else None,
                 answered_200=statuses.count(200), errors_5xx_or_none=sum(1 for s in statuses if not s or s >= 500),
                 workers_replaced=len(set(base) - alive), worker_timeouts_in_log=log.count('WORKER TIMEOUT'),
                 target_met=bool(proper and worst and worst <= LIMIT_MB and alive == set(base)))
    report(f'{len(photos)} uploads of {args.megapixels:g} MP at once to `colorful-world serve --workers '
           f'{args.workers}`: peak RSS per worker', rows, args, extra)
    return 0 if extra['target_met'] else 1


if __name__ == '__main__': sys.exit(main())
