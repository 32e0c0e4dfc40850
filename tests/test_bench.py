"The benchmark scripts run on a machine without a GPU and say what they measured, as JSON with the machine."
import json, os, subprocess, sys
from pathlib import Path
import pytest

BENCH = Path(__file__).resolve().parents[1] / 'bench'


def bench(script, *args):
    "Run `bench/<script>.py --json` with no GPU visible; its parsed output."
    env = {**os.environ, 'CUDA_VISIBLE_DEVICES': ''}
    r = subprocess.run([sys.executable, str(BENCH / f'{script}.py'), '--json', *args], capture_output=True, text=True,
                       timeout=600, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout)
    assert out['machine']['cores'] >= 1 and out['machine']['torch'] and out['machine']['cuda'] is False
    return out


def test_gpu_training_without_gpu_says_so_and_counts_flops():
    out = bench('gpu_training')
    assert out['skipped'] == 'no CUDA GPU present'
    flops = {r['path']: r['gflop_per_image'] for r in out['results']}
    assert flops['reference'] == pytest.approx(86.0, abs=0.5)  # the pix2pix step at 256², counted
    assert flops['project'] == pytest.approx(flops['reference'])
    assert flops['project, checkpoint'] - flops['project'] == pytest.approx(12.0, abs=0.5)  # one more G forward


def test_gpu_training_times_the_same_code_on_the_cpu():
    out = bench('gpu_training', '--device', 'cpu', '--small', '--batch-sizes', '2', '--steps', '2')
    rows = out['results']
    assert [r['path'] for r in rows] == ['reference', 'project', 'project, checkpoint']
    assert all(r['batch'] == 2 and r['ms_per_step'] > 0 and r['images_per_s'] > 0 for r in rows)


def test_gpu_memory_without_gpu_estimates_from_saved_tensors():
    out = bench('gpu_memory')
    assert out['skipped'] == 'no CUDA GPU present'
    r = {(x['size'], x['checkpoint']): x for x in out['results']}
    for size in (256, 512):
        assert r[size, True]['G_mib'] < 0.45 * r[size, False]['G_mib']  # checkpointing keeps about a third
        assert r[size, True]['batch_bound'] > r[size, False]['batch_bound']
    assert r[512, False]['mib_per_image'] == pytest.approx(4 * r[256, False]['mib_per_image'], rel=0.1)  # 4× the pixels


def test_cpu_inference_compares_reference_and_served():
    out = bench('cpu_inference', '--sizes', '256', '--runs', '3')
    rows = out['results']
    assert {r['photo'] for r in rows} == {'256²'}
    for r in rows:
        assert r['ref_p50_ms'] > 0 and r['served_p50_ms'] > 0 and r['served_vs_ref_db'] > 20


def test_data_loading_measures_both_loader_modes():
    out = bench('data_loading', '--n', '16', '--workers', '0')
    modes = {(r['photos'], r.get('mode')) for r in out['results']}
    assert ('LFW-like 250² JPEGs', 'pairs in loader') in modes and ('LFW-like 250² JPEGs', 'uint8 crops') in modes
    assert all(r['images_per_s'] > 0 for r in out['results'])


def test_cpu_training_measures_each_variant():
    out = bench('cpu_training', '--steps', '12', '--repeats', '1', '--variants', 'fp32', 'bf16')
    assert [r['variant'] for r in out['results']] == ['fp32', 'bf16']
    assert all(r['ms_per_step'] > 0 for r in out['results'])
    from colorful_world.core import cpu_has_bf16
    assert out['default_here'] == ('bf16' if cpu_has_bf16() else 'fp32')  # what training picks on this CPU


def test_cpu_serving_compares_the_paths_before_and_now():
    out = bench('cpu_serving', '--smoke', '--cli-threads', '1')
    rows = {(r['path'], r['variant']): r for r in out['results']}
    assert set(rows) == {('CLI', 'before (PNG level 6)'), ('CLI', 'now, --format png'), ('CLI', 'now, --format jpg'),
                         ('CLI', 'now, --format webp'), ('server', 'before'), ('server', 'now')}
    assert all(r['photos_per_s'] > 0 and r['speedup'] > 0 for r in rows.values())
    assert rows['CLI', 'now, --format jpg']['file_mb_per_megapixel'] < rows['CLI', 'now, --format png']['file_mb_per_megapixel']
    assert out['max_diff_combine'] <= 1 and out['photos'] == 2  # the recombination within one 8-bit level of the old one
