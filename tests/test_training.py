"System tests of training: DDP on CPU with gloo, checkpoints surviving a kill, the CLI's train and demo."
import json, os, random, signal, subprocess, sys, time
from pathlib import Path
import pytest
from PIL import Image

HERE = Path(__file__).parent


def test_ddp_two_processes_gloo(tmp_path):
    r = subprocess.run(['torchrun', '--standalone', '--nproc_per_node=2', str(HERE/'ddp_worker.py'), str(tmp_path)],
                       capture_output=True, text=True, timeout=300, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert r.returncode == 0, r.stderr[-3000:]
    digests = json.loads((tmp_path/'digests.json').read_text())
    assert len(digests) == 2
    (r0, h0, steps0, n0), (r1, h1, steps1, n1) = digests
    assert (r0, r1) == (0, 1)
    assert h0 == h1, 'weights differ between ranks after DDP training'
    assert steps0 == steps1 > 0
    # only rank 0 wrote files
    assert (tmp_path/'rank0'/'models'/'last.safetensors').exists()
    assert (tmp_path/'rank0'/'results'/'history_steps.csv').exists()
    assert not (tmp_path/'rank1').exists() or not any(p.is_file() for p in (tmp_path/'rank1').rglob('*'))


SAVER = '''
import sys, torch
from colorful_world.training import preset, save_checkpoint, build_generator
from dataclasses import replace
cfg = preset('cpu_demo', ngf=64)
G = build_generator(cfg)
i = 0
while True:
    i += 1
    with torch.no_grad():
        for p in G.parameters(): p.fill_(i)
    save_checkpoint(sys.argv[1], replace(cfg, seed=i), G)
    if i == 1: print('ready', flush=True)  # a first complete checkpoint exists
'''


def test_checkpoint_survives_kill_mid_write(tmp_path):
    from colorful_world.training import read_checkpoint
    path = tmp_path/'last.safetensors'
    rng = random.Random(0)
    seen = set()
    for trial in range(4):
        p = subprocess.Popen([sys.executable, '-c', SAVER, str(path)], stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline().strip() == 'ready'
        time.sleep(rng.uniform(0.3, 1.2))
        p.send_signal(signal.SIGKILL); p.wait()
        cfg, g, _, _ = read_checkpoint(path)  # never torn: always a complete checkpoint
        values = {float(v.flatten()[0]) for k, v in g.items() if v.is_floating_point() and 'running' not in k and v.numel() > 1}
        assert values == {float(cfg.seed)}, 'weights and config come from the same save'
        seen.add(cfg.seed)
    assert not [f for f in tmp_path.iterdir() if f.name != 'last.safetensors' and not f.name.endswith('.tmp')]


def test_cli_demo_writes_real_artifacts(tmp_path):
    r = subprocess.run(['colorful-world', 'demo', '--out', str(tmp_path/'demo'), '--epochs', '1', '-q'],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    for key in ['checkpoint', 'loss_curve', 'frames', 'before_after']: assert key in r.stdout
    res = tmp_path/'demo'/'results'
    assert (tmp_path/'demo'/'models'/'last.safetensors').stat().st_size > 1e6
    assert Image.open(res/'loss.png').size[0] > 300
    assert len(list((res/'evolution').glob('epoch_*.png'))) == 1
    grid = Image.open(res/'before_after.png')
    assert grid.size[0] > grid.size[1] / 3


def test_cli_train_error_is_one_line(tmp_path):
    r = subprocess.run(['colorful-world', 'train', '--data', str(tmp_path/'nothing'), '--out', str(tmp_path/'r'), '-q'],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert r.stderr.startswith('colorful-world: error:') and 'Traceback' not in r.stderr
