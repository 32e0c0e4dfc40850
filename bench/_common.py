"""Shared by the benchmark scripts: the machine's description, timing, and the results: printed as a table (or JSON)
and written as JSON to `bench/results/<script>.json`, which nbs/benchmarks.ipynb renders."""
from __future__ import annotations
import argparse, json, os, platform, shlex, statistics, sys, time
from datetime import datetime, timezone
from pathlib import Path


def machine() -> dict:
    "What the numbers were measured on."
    import torch
    d = dict(python=platform.python_version(), torch=torch.__version__, cpu=platform.processor() or platform.machine(),
             cores=os.cpu_count(), torch_threads=torch.get_num_threads(), cuda=torch.cuda.is_available(),
             memory_gb=round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30, 1))
    try:
        with open('/proc/cpuinfo') as f:
            info = f.read()
        d['cpu'] = next(l.split(':', 1)[1].strip() for l in info.splitlines() if l.startswith('model name'))
        flags = next(l for l in info.splitlines() if l.startswith('flags')).split()
        d.update(avx512='avx512f' in flags, avx512_bf16='avx512_bf16' in flags, amx_bf16='amx_bf16' in flags)
    except (OSError, StopIteration):
        pass
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
        t = time.perf_counter()
        fn()
        if sync: sync()
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    p95 = ts[min(len(ts) - 1, round(0.95 * (len(ts) - 1)))]
    return dict(p50=statistics.median(ts), p95=p95, mean=statistics.fmean(ts), n=n)


RESULTS = Path(__file__).parent / 'results'  # where each script writes its JSON; nbs/benchmarks.ipynb renders it


def parser(description: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument('--json', action='store_true', help='print the results as JSON, not a table')
    ap.add_argument('--out', default=None,
                    help="where to write the JSON results (default: bench/results/<script>.json; '-': nowhere)")
    ap.add_argument('--note', default='', help='a remark stored with the results, e.g. what else ran on the machine')
    return ap


def results_path(args, name: str | None) -> Path | None:
    "Where `report` writes: `--out`, else `bench/results/<name>.json`; None for `--out -` or `name=''` without `--out`."
    if args.out: return None if args.out == '-' else Path(args.out)
    return RESULTS / f'{name}.json' if name else None


def report(title: str, rows: list, args, extra: dict | None = None, name: str | None = None) -> dict:
    """Print `rows` (a list of dicts) as a table, or everything as JSON with `--json`, and write the JSON to
    `results_path`: `name` defaults to the script's name; '' writes only with `--out` (smoke runs)."""
    res = dict(benchmark=title, script=Path(sys.argv[0]).name,
               command=' '.join(['python', f'bench/{Path(sys.argv[0]).name}', *map(shlex.quote, sys.argv[1:])]),
               date=datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC'), machine=machine(),
               load_avg=[round(x, 1) for x in os.getloadavg()], note=getattr(args, 'note', ''), results=rows,
               **(extra or {}))
    path = results_path(args, Path(sys.argv[0]).stem if name is None else name)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(res, indent=1, default=str) + '\n')
    if args.json: print(json.dumps(res, indent=1, default=str))
    else: print(markdown(res))
    return res


def load_results(name: str, folder=RESULTS) -> dict | None:
    "The JSON a script wrote as `<folder>/<name>.json`, or None when it has not been run."
    p = Path(folder) / f'{name}.json'
    return json.loads(p.read_text()) if p.exists() else None


def fmt(v) -> str:
    "A table cell: floats with one decimal from 10 up, two from 0.1, else 2 significant digits; the rest as they are."
    if isinstance(v, float): return f'{v:.1f}' if abs(v) >= 10 else f'{v:.2f}' if abs(v) >= 0.1 or v == 0 else f'{v:.2g}'
    return '' if v is None else str(v)


def first(rows: list, col: str):
    "The first value of column `col` that is not None (it decides the column's alignment)."
    return next((r[col] for r in rows if r.get(col) is not None), None)


def markdown(res: dict, columns: list | None = None, extra: bool = True) -> str:
    "A result of `report` as Markdown: the title, the machine, the command and date, a table of `columns`, the rest."
    m = res['machine']
    gpu, load = f", {m['gpu']}" if m.get('gpu') else ', no GPU', ' / '.join(map(str, res['load_avg']))
    lines = [f"**{res['benchmark']}**", '',
             f"`{res['command']}` on {res['date']}: {m.get('cpu')} ({m.get('cores')} cores, {m.get('torch_threads')} "
             f"torch threads{gpu}), torch {m['torch']}, load average {load} (1 / 5 / 15 min)"
             + (f"; {res['note']}" if res.get('note') else ''), '']
    rows = res['results']
    cols = columns or list(dict.fromkeys(k for r in rows for k in r))
    if rows:
        lines += ['| ' + ' | '.join(cols) + ' |',
                  '|' + '|'.join('---:' if isinstance(first(rows, c), (int, float)) else '---' for c in cols) + '|']
        lines += ['| ' + ' | '.join(fmt(r.get(c)).replace('|', '\\|') for c in cols) + ' |' for r in rows]
    skip = {'benchmark', 'script', 'command', 'date', 'machine', 'load_avg', 'note', 'results'}
    if extra: lines += [''] + [f'- {k}: {fmt(v)}' for k, v in res.items() if k not in skip]
    return '\n'.join(lines)


def random_batch(bs: int, size: int, device='cpu') -> tuple:
    "A `(gray, target)` training batch of random values in the ranges real ones have (gray in [-1, 1], ab within ±0.3)."
    import torch
    return torch.rand(bs, 1, size, size, device=device) * 2 - 1, (torch.rand(bs, 2, size, size, device=device) - 0.5) * 0.6
