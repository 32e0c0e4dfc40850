"""The benchmark scripts run on a machine without a GPU and say what they measured, as JSON with the machine; the
JSON they write is what nbs/benchmarks.ipynb renders, and its stored tables are those the results give today."""
import ast, json, os, subprocess, sys, tempfile
from argparse import Namespace
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / 'bench'
sys.path.insert(0, str(BENCH))
from _common import RESULTS, load_results, markdown, results_path


def bench(script, *args):
    """Run `bench/<script>.py --json` with no GPU visible, its results written to a temporary file; the parsed output,
    checked to be what the file holds."""
    env = {**os.environ, 'CUDA_VISIBLE_DEVICES': ''}
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / f'{script}.json'
        cmd = [sys.executable, str(BENCH / f'{script}.py'), '--json', '--out', str(out), '--note', 'a test', *args]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
        assert r.returncode == 0, r.stderr[-3000:]
        res = json.loads(r.stdout)
        assert json.loads(out.read_text()) == res
    assert res['machine']['cores'] >= 1 and res['machine']['torch'] and res['machine']['cuda'] is False
    assert res['command'].startswith(f'python bench/{script}.py --json') and res['note'] == 'a test'
    assert res['date'].endswith('UTC') and len(res['load_avg']) == 3
    table = markdown(res)
    assert res['benchmark'] in table and res['command'] in table and 'a test' in table
    rows = len(res['results'])
    assert sum(l.startswith('| ') for l in table.splitlines()) == rows + (rows > 0)  # the header and a line a row
    return res


def test_gpu_training_without_gpu_says_so_and_counts_flops():
    out = bench('gpu_training')
    assert out['skipped'] == 'no CUDA GPU present'
    flops = {r['path']: r['gflop_per_image'] for r in out['results']}
    assert flops['reference'] == pytest.approx(86.0, abs=0.5)  # the pix2pix step at 256², counted
    assert flops['project'] == pytest.approx(flops['reference'])
    import torch
    from colorful_world.model import build_discriminator, build_generator
    from colorful_world.config import preset
    from colorful_world.unet import forward_flops
    with torch.device('meta'):
        cfg = preset('pix2pix')
        g = forward_flops(build_generator(cfg), torch.empty(1, 1, 256, 256)) / 1e9
        d = forward_flops(build_discriminator(cfg), torch.empty(1, 3, 256, 256)) / 1e9
    assert g == pytest.approx(12.0, abs=0.1) and d == pytest.approx(6.25, abs=0.1)
    # recompute=True recomputes one G forward, and one D forward in each of the step's three D passes
    assert flops['project, recompute'] - flops['project'] == pytest.approx(g + 3 * d, abs=0.5)


def test_gpu_training_times_the_same_code_on_the_cpu():
    out = bench('gpu_training', '--device', 'cpu', '--small', '--batch-sizes', '2', '--steps', '2')
    rows = out['results']
    assert [r['path'] for r in rows] == ['reference', 'project', 'project, recompute']
    assert all(r['batch'] == 2 and r['ms_per_step'] > 0 and r['images_per_s'] > 0 for r in rows)


def test_gpu_e2e_without_gpu_says_so():
    out = bench('gpu_e2e')
    assert out['skipped'] == 'no CUDA GPU present' and out['results'] == []


def test_gpu_e2e_times_the_same_code_on_the_cpu():
    out = bench('gpu_e2e', '--device', 'cpu', '--small', '--size', '64', '--photos', '16', '--batch-size', '4',
                '--epochs', '2', '--workers', '0')
    rows = out['results']
    assert [r['loader'] for r in rows] == ['DataLoader, 0 workers', 'DeviceCrops']
    assert all(r['photos'] == 16 and r['first_epoch'] > 0 and r['later_epochs'] > 0 for r in rows)
    assert all(r['e2e_vs_step'] == pytest.approx(r['later_epochs'] / out['step_images_per_s']) for r in rows)


def test_gpu_memory_without_gpu_estimates_from_saved_tensors():
    out = bench('gpu_memory')
    assert out['skipped'] == 'no CUDA GPU present'
    r = {(x['size'], x['recompute']): x for x in out['results']}
    for size in (256, 512):
        assert r[size, True]['G_mib'] < 0.45 * r[size, False]['G_mib']  # recompute=True: G keeps about a third
        assert r[size, True]['D_mib_per_forward'] < 0.5 * r[size, False]['D_mib_per_forward']  # D: its blocks' inputs
        assert r[size, True]['batch_bound'] > r[size, False]['batch_bound']
    assert r[512, False]['mib_per_image'] == pytest.approx(4 * r[256, False]['mib_per_image'], rel=0.1)  # 4× the pixels


@pytest.mark.parametrize('model, name', [('unet_256', 'pix2pix unet_256'), ('cpu_demo', 'cpu_demo, shipped')])
def test_cpu_inference_compares_reference_and_served(model, name):
    "One model a run: each compiles in int8 (30-45 s on two cores)."
    out = bench('cpu_inference', '--sizes', '256', '--runs', '3', '--models', model)
    rows = out['results']
    assert {r['photo'] for r in rows} == {'256²'} and all(r['model'].startswith(name) for r in rows)
    assert [r['variant'] for r in rows] == ['mirror pass (default)', 'flip=False', 'int8, mirror pass']
    for r in rows:
        assert r['ref_p50_ms'] > 0 and r['served_p50_ms'] > 0 and r['served_vs_ref_db'] > 20


def test_data_loading_measures_both_loader_modes():
    out = bench('data_loading', '--n', '16', '--workers', '0')
    modes = {(r['photos'], r.get('mode')) for r in out['results']}
    assert ('LFW-like 250² JPEGs', 'pairs in loader') in modes and ('LFW-like 250² JPEGs', 'uint8 crops') in modes
    assert ('LFW-like 250² JPEGs', 'DeviceCrops: decoded once, crops batched') in modes
    assert ('demo photos (0.1–6 MP)', 'DeviceCrops: decoded once, crops batched') in modes
    assert all(r['images_per_s'] > 0 for r in out['results'])


def test_cpu_training_measures_each_variant():
    out = bench('cpu_training', '--steps', '12', '--repeats', '1', '--variants', 'fp32', 'bf16')
    assert [r['variant'] for r in out['results']] == ['fp32', 'bf16']
    assert all(r['ms_per_step'] > 0 for r in out['results'])
    from colorful_world.core import cpu_has_bf16
    assert out['default_here'] in (('bf16', 'fp32') if cpu_has_bf16() else ('fp32',))  # what training picks here


def test_cpu_serving_compares_the_paths_before_and_now():
    out = bench('cpu_serving', '--smoke', '--cli-threads', '1')
    rows = {(r['path'], r['variant']): r for r in out['results']}
    assert set(rows) == {('CLI', 'before (PNG level 6)'), ('CLI', 'now, --format png'), ('CLI', 'now, --format jpg'),
                         ('CLI', 'now, --format webp'), ('server', 'before'), ('server', 'now')}
    assert all(r['photos_per_s'] > 0 and r['speedup'] > 0 for r in rows.values())
    assert rows['CLI', 'now, --format jpg']['file_mb_per_megapixel'] < rows['CLI', 'now, --format png']['file_mb_per_megapixel']
    assert out['max_diff_combine'] <= 1 and out['photos'] == 2  # the recombination within one 8-bit level of the old one


def test_serving_memory_under_concurrent_uploads():
    "The real server with 2 workers, 3 small uploads at once: every answer a PNG, each worker's peak RSS measured."
    out = bench('serving_memory', '--megapixels', '0.5', '--uploads', '3')
    uploads = [r for r in out['results'] if r['what'].startswith('upload')]
    workers = [r for r in out['results'] if r['what'].startswith('worker')]
    assert [r['status'] for r in uploads] == [200] * 3 and all(r['answer'].startswith('PNG') for r in uploads)
    assert len(workers) == 2 and all(r['answer'] == 'alive' and r['base_mb'] <= r['peak_mb'] < 1500 for r in workers)
    assert out['target_met'] and out['errors_5xx_or_none'] == 0 and out['workers_replaced'] == 0


def test_results_path():
    assert results_path(Namespace(out=None), 'cpu_serving') == RESULTS / 'cpu_serving.json'
    assert results_path(Namespace(out='-'), 'cpu_serving') is None
    assert results_path(Namespace(out=None), '') is None  # smoke runs write only where told
    assert results_path(Namespace(out='/tmp/x.json'), '') == Path('/tmp/x.json')


def notebook_cells(results=None):
    """Each code cell of nbs/benchmarks.ipynb run as IPython would (its last expression is its result), with
    `BENCH / 'results'` pointed at `results` if given: `(source, result, stored outputs)`."""
    nb = json.loads((ROOT / 'nbs' / 'benchmarks.ipynb').read_text())
    ns = {}
    for c in (c for c in nb['cells'] if c['cell_type'] == 'code'):
        body = ast.parse(''.join(c['source'])).body
        last = body.pop() if body and isinstance(body[-1], ast.Expr) else None
        exec(compile(ast.Module(body, []), 'cell', 'exec'), ns)
        if results and 'BENCH' in ns: ns['BENCH'] = Path(results).parent
        value = eval(compile(ast.Expression(last.value), 'cell', 'eval'), ns) if last else None
        if value is not None: yield ''.join(c['source']), value, c['outputs']  # not the install cell's print


def test_notebook_tables_are_the_results_today():
    "The notebook's stored tables and verdicts are what bench/results/*.json render now: re-run it after a benchmark."
    shown = 0
    for src, value, outputs in notebook_cells():
        stored = [''.join(o['data']['text/markdown']) for o in outputs if 'text/markdown' in o.get('data', {})]
        assert stored == [value.data], f'{src}: stored output is stale; re-run nbs/benchmarks.ipynb'
        shown += 1
    assert shown >= 10
    for name in ('cpu_serving', 'cpu_inference', 'serving_memory'):  # measured on the CPU: they must be there
        assert load_results(name) is not None, name


def test_notebook_without_gpu_results_says_so(tmp_path):
    (tmp_path / 'results').mkdir()
    for name in ('cpu_serving', 'cpu_inference', 'serving_memory'):
        (tmp_path / 'results' / f'{name}.json').write_text((RESULTS / f'{name}.json').read_text())
    out = {src: value.data for src, value, _ in notebook_cells(tmp_path / 'results')}
    assert out["show('gpu_training', missing='not measured on a GPU yet')"].startswith('**not measured on a GPU yet**')
    assert out["show('gpu_memory', missing='not measured on a GPU yet')"].startswith('**not measured on a GPU yet**')
    assert out["show('gpu_e2e', missing='not measured on a GPU yet')"].startswith('**not measured on a GPU yet**')
    assert out["show('data_loading')"].startswith('**not measured yet**: `bench/results/data_loading.json` is absent')
