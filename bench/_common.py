"Shared by the benchmark scripts: the machine's description, timing, and printing a table or JSON."
from __future__ import annotations
import argparse, json, os, platform, statistics, sys, time


def machine() -> dict:
    "What the numbers were measured on."
    import torch
    d = dict(python=platform.python_version(), torch=torch.__version__, cpu=platform.processor() or platform.machine(),
             cores=os.cpu_count(), torch_threads=torch.get_num_threads(), cuda=torch.cuda.is_available())
    try:
        with open('/proc/cpuinfo') as f:
            info = f.read()
        d['cpu'] = next(l.split(':', 1)[1].strip() for l in info.splitlines() if l.startswith('model name'))
        flags = next(l for l in info.splitlines() if l.startswith('flags')).split()
        d['avx512'] = 'avx512f' in flags; d['avx512_bf16'] = 'avx512_bf16' in flags; d['amx_bf16'] = 'amx_bf16' in flags
    except (OSError, StopIteration): pass
    if d['cuda']:
        p = torch.cuda.get_device_properties(0)
        d.update(gpu=p.name, gpu_memory_gb=round(p.total_memory / 2**30, 1), cuda_version=torch.version.cuda)
    return d


def timeit(fn, n: int = 20, warmup: int = 3, sync=None) -> dict:
    "p50/p95/mean milliseconds of `fn()` over `n` runs after `warmup` runs."
    for _ in range(warmup): fn()
    ts = []
    for _ in range(n):
        if sync: sync()
        t = time.perf_counter(); fn()
        if sync: sync()
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    return dict(p50=statistics.median(ts), p95=ts[min(len(ts) - 1, round(0.95 * (len(ts) - 1)))], mean=statistics.fmean(ts), n=n)


def parser(description: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument('--json', action='store_true', help='print machine-readable results (with the machine) instead of a table')
    return ap


def report(title: str, rows: list, args, extra: dict | None = None):
    "Print `rows` (a list of dicts) as a table, or everything as JSON with `--json`."
    if args.json:
        print(json.dumps(dict(benchmark=title, machine=machine(), results=rows, **(extra or {})), indent=1, default=str))
        return
    m = machine()
    print(f"# {title}\n# {m.get('cpu')} ({m.get('cores')} cores, {m.get('torch_threads')} torch threads)"
          + (f", {m['gpu']}" if m.get('gpu') else ', no GPU') + f", torch {m['torch']}")
    if not rows: return
    cols = list(dict.fromkeys(k for r in rows for k in r))
    fmt = lambda v: f'{v:.1f}' if isinstance(v, float) else str(v)
    w = {c: max(len(c), *(len(fmt(r.get(c, ''))) for r in rows)) for c in cols}
    print(' | '.join(c.ljust(w[c]) for c in cols)); print('-|-'.join('-' * w[c] for c in cols))
    for r in rows: print(' | '.join(fmt(r.get(c, '')).ljust(w[c]) for c in cols))
    for k, v in (extra or {}).items(): print(f'{k}: {v}')


def random_batch(bs: int, size: int, device='cpu') -> tuple:
    "A `(gray, target)` training batch of random values in the ranges real ones have (gray in [-1, 1], ab within ±0.3)."
    import torch
    return torch.rand(bs, 1, size, size, device=device) * 2 - 1, (torch.rand(bs, 2, size, size, device=device) - 0.5) * 0.6
