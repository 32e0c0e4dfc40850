"System tests of training: DDP on CPU with gloo, checkpoints surviving a kill, the CLI's train and demo."
import json, os, random, signal, subprocess, sys, time
from pathlib import Path
import pytest
from PIL import Image
from colorful_world.data import source_split

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
from colorful_world.model import build_generator, save_checkpoint
from colorful_world.training import preset
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
    from colorful_world.model import load_checkpoint
    path = tmp_path/'last.safetensors'
    rng = random.Random(0)
    seen = set()
    for trial in range(4):
        p = subprocess.Popen([sys.executable, '-c', SAVER, str(path)], stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline().strip() == 'ready'
        time.sleep(rng.uniform(0.3, 1.2))
        p.send_signal(signal.SIGKILL); p.wait()
        ck = load_checkpoint(path)  # never torn: always a complete checkpoint
        values = {float(v.flatten()[0]) for k, v in ck.G.items() if v.is_floating_point() and 'running' not in k and v.numel() > 1}
        assert values == {float(ck.config['seed'])}, 'weights and config come from the same save'
        seen.add(ck.config['seed'])
    assert not [f for f in tmp_path.iterdir() if f.name != 'last.safetensors' and not f.name.endswith('.tmp')]
    from colorful_world.model import atomic_write
    atomic_write(path.read_bytes(), path)  # the next save removes the temporary files the kills left (issue 17)
    assert [f.name for f in tmp_path.iterdir()] == ['last.safetensors']


def test_cli_demo_writes_real_artifacts(tmp_path):
    r = subprocess.run(['colorful-world', 'demo', '--out', str(tmp_path/'demo'), '--epochs', '1', '-q'],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    for key in ['checkpoint', 'loss_curve', 'frames', 'before_after']: assert key in r.stdout
    res = tmp_path/'demo'/'results'
    assert (tmp_path/'demo'/'models'/'last.safetensors').stat().st_size > 1e6
    assert Image.open(res/'loss.png').size[0] > 300
    assert len(list((res/'evolution').glob('epoch_*.png'))) == 1
    grid = Image.open(res/'before_after.png')  # gray | result | truth, a row per held-out photo of the corpus
    n_valid = len(source_split('photos')[1])
    assert n_valid >= 10 and grid.size[1] > n_valid * grid.size[0] / 4


def test_cli_train_error_is_one_line(tmp_path):
    # cpu_demo: the default preset's unet_256 is built (and its bf16 speed timed: 80 s on two cores) before the data is read
    r = subprocess.run(['colorful-world', 'train', '--preset', 'cpu_demo', '--data', str(tmp_path/'nothing'),
                        '--out', str(tmp_path/'r'), '-q'],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert r.stderr.startswith('colorful-world: error:') and 'Traceback' not in r.stderr


HISTORY_WRITER = '''
import sys
from pathlib import Path
from colorful_world.callbacks import write_history
folder = Path(sys.argv[1])/'results'
rows = lambda n: [dict(epoch=1 + i // 50, step=i + 1, g_gan=0.7, g_l1=0.2, d_real=0.6, d_fake=0.7, lr_G=2e-4, lr_D=2e-4)
                  for i in range(n)]
write_history(rows(2000), folder)
print('ready', flush=True)
n = 2000
while True:
    n += 1
    write_history(rows(n), folder)
'''


def test_history_survives_kill_mid_write(tmp_path):
    "A kill while the history is rewritten leaves complete files that `read_history` reads (issue 17)."
    from colorful_world.training import read_history
    rng = random.Random(1)
    for trial in range(4):
        p = subprocess.Popen([sys.executable, '-c', HISTORY_WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline().strip() == 'ready'
        time.sleep(rng.uniform(0.2, 0.8))
        p.send_signal(signal.SIGKILL)
        p.wait()
        h = read_history(tmp_path)
        assert len(h) >= 2000 and [r['step'] for r in h] == list(range(1, len(h) + 1))
        epochs = (tmp_path / 'results' / 'history_epochs.csv').read_text().splitlines()
        assert [line.split(',')[0] for line in epochs[1:]] == [str(e) for e in range(1, len(epochs))]
    from colorful_world.callbacks import write_history
    write_history(h, tmp_path/'results')
    assert not [f.name for f in (tmp_path / 'results').iterdir() if f.name.endswith('.tmp')]  # the next write cleans up


def test_cli_train_stopped_with_ctrl_c_still_draws_its_pictures(tmp_path):
    "`train` writes results/loss.png and results/color_evolution.gif at the end and when interrupted (issue 14)."
    out = tmp_path/'run'
    p = subprocess.Popen(['colorful-world', 'train', '--preset', 'cpu_demo', '--out', str(out), '--image-size', '64',
                          '--n-down', '6', '--ngf', '8', '--ndf', '8', '--repeat', '1', '--epochs', '100000', '-q'],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = out/'results'/'evolution'/'epoch_0001.png'
    deadline = time.time() + 300
    while not first.exists() and p.poll() is None and time.time() < deadline: time.sleep(0.2)
    assert first.exists(), p.communicate()[1][-3000:] if p.poll() is not None else 'no epoch finished in time'
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=300)
    assert p.returncode == 130 and err.strip().endswith('colorful-world: interrupted'), err[-3000:]
    assert Image.open(out/'results'/'loss.png').size[0] > 300
    assert Image.open(out/'results'/'color_evolution.gif').n_frames >= 1


def test_cli_train_resume_with_more_epochs_keeps_the_learning_rate(tmp_path):
    "`train --resume --epochs N` on a finished run trains its extra epochs at the schedule's rate, not 0 (issue 27)."
    import csv
    out = tmp_path/'run'
    tiny = ['colorful-world', 'train', '--preset', 'original', '--out', str(out), '--image-size', '64', '--n-down', '6',
            '--ngf', '8', '--ndf', '8', '--max-photos', '5', '--batch-size', '2', '-q']
    for extra in (['--epochs', '1'], ['--resume', '--epochs', '2']):
        r = subprocess.run(tiny + extra, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-3000:]
    rows = list(csv.DictReader(open(out/'results'/'history_steps.csv')))
    assert {(r['epoch'], float(r['lr_G']), float(r['lr_D'])) for r in rows} == {('1', 1e-5, 1e-6), ('2', 1e-5, 1e-6)}
