"System tests of training: DDP on CPU with gloo, checkpoints surviving a kill, the CLI's train and demo."
import json, os, random, signal, subprocess, sys, time
from pathlib import Path
import pytest
from PIL import Image
from colorful_world.sources import source_split

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
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         # Ctrl-C as at a terminal, even where this suite runs with SIGINT ignored (a background job)
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
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


# The training loop's engineering, checked on tiny CPU runs (64² demo photos, seconds each): what 05_training's
# "Under the hood" sections explain. They were that notebook's cells; the assertions are the same.
import csv, math, warnings
from dataclasses import asdict, replace
from unittest import mock
import torch
import fastcore.test as fct  # imported as a module: pytest would collect its test_* functions


def weights(m):
    "A copy of `m`'s parameters."
    return [p.detach().clone() for p in m.parameters()]


@pytest.fixture(scope='module')
def small(tmp_path_factory):
    "05_training's small config: the cpu_demo preset at 64², 8 filters."
    from colorful_world.training import preset
    out = tmp_path_factory.mktemp('small')/'run'
    return preset('cpu_demo', out_dir=str(out), image_size=64, n_down=6, ngf=8, ndf=8, batch_size=4)


@pytest.fixture(scope='module')
def batch():
    "Four demo photos as a `(gray, target)` batch of random 64² crops."
    from colorful_world.data import ColorizationDataset
    from colorful_world.sources import demo_images
    return ColorizationDataset(demo_images()[:4], 64).as_batch()


@pytest.fixture(scope='module')
def dl():
    "The demo photos' training batches of uint8 crops (split on the device)."
    from colorful_world.data import get_dataloaders
    return get_dataloaders('demo', 64, bs=4, pairs=False)[0]


def test_a_checkpoint_holds_the_models_config_and_the_runs(tmp_path):
    from colorful_world.config import Config, preset
    from colorful_world.model import ModelConfig, build_generator, load_generator, save_checkpoint
    cfg = preset('cpu_demo', out_dir=str(tmp_path/'x'))
    save_checkpoint(tmp_path/'g.safetensors', cfg, build_generator(cfg))
    G = load_generator(tmp_path/'g.safetensors')
    fct.test_eq((G.config, G.run_config), (ModelConfig.from_config(cfg), asdict(cfg)))
    fct.test_eq(Config(**G.run_config), cfg)


def test_one_model_at_a_time_and_losses_without_waiting(small, batch):
    "A D step leaves G as it was and a G step D; both report all four losses; `sync=False` keeps them lazy."
    from colorful_world.training import LOSSES, Pix2Pix, read_losses
    (xb, yb), run = batch, Pix2Pix(small)
    run.train_step(xb, yb)
    g1, d1 = weights(run.G), weights(run.D)
    logs_d = run.train_step(xb, yb, update_G=False)
    assert all(torch.equal(a, b) for a, b in zip(g1, weights(run.G)))  # G untouched by a D step
    assert any(not torch.equal(a, b) for a, b in zip(d1, weights(run.D)))
    d2 = weights(run.D)
    logs_g = run.train_step(xb, yb, update_D=False)
    assert all(torch.equal(a, b) for a, b in zip(d2, weights(run.D)))  # D untouched by a G step
    assert not any(math.isnan(v) for v in [*logs_d.values(), *logs_g.values()])  # the idle model's: measured
    lazy = run.train_step(xb, yb, sync=False)
    assert all(torch.is_tensor(lazy[k]) and lazy[k].ndim == 0 for k in LOSSES)
    fct.test_eq(read_losses([lazy])[0]['d_real'], lazy['d_real'])
    assert isinstance(lazy['g_l1'], float)


def test_d_step_in_two_backward_passes_is_the_textbook_step(small, batch):
    "The real half's backward pass before D sees the fakes: the same losses and weights as one backward pass."
    from colorful_world.loss import discriminator_loss
    from colorful_world.training import Pix2Pix
    (xb, yb), r1, r2 = batch, Pix2Pix(small), Pix2Pix(small)
    torch.manual_seed(0)
    l1 = r1.train_step(xb, yb, update_G=False)
    torch.manual_seed(0)
    with torch.no_grad(), r2._autocast(): fake = r2.G(xb)
    with r2._autocast(): d = discriminator_loss(r2.D(torch.cat([xb, yb], 1)), r2.D(torch.cat([xb, fake], 1)))
    r2.opt_D.zero_grad()
    d['loss'].backward()
    r2.opt_D.step()
    fct.test_close([l1['d_real'], l1['d_fake']], [d['d_real'].item(), d['d_fake'].item()], eps=1e-6)
    for a, b in zip(r1.D.state_dict().values(), r2.D.state_dict().values()):
        fct.test_close(a.float(), b.float(), eps=1e-6)


def test_recomputing_activations_trains_identically(small, batch):
    "With `recompute=True`, three steps give the same losses, weights and batch-norm statistics."
    from colorful_world.training import Pix2Pix
    xb, yb = batch
    def three_steps(**kw):
        r = Pix2Pix(replace(small, **kw))
        buffers = [b.clone() for m in (r.G, r.D) for b in m.buffers()]
        return [r.train_step(xb, yb) for _ in range(3)], weights(r.G) + weights(r.D) + buffers
    (l0, w0), (l1, w1) = three_steps(), three_steps(recompute=True)
    for a, b in zip(l0, l1): fct.test_close(list(a.values()), list(b.values()), eps=1e-4)
    for a, b in zip(w0, w1): fct.test_close(a, b, eps=1e-4)


def test_bf16_on_the_cpu_trains_like_full_precision(small, batch):
    "bf16 autocast, forced so that it is tested on every CPU, gives fp32's losses within 0.02."
    from colorful_world.training import Pix2Pix
    xb, yb = batch
    def steps_in(dtype, n=3):
        r = Pix2Pix(replace(small, amp=False))
        r.dtype = dtype
        return [r.train_step(xb, yb) for _ in range(n)]
    for a, b in zip(steps_in(None), steps_in(torch.bfloat16)):
        fct.test_close(list(a.values()), list(b.values()), eps=0.02)


def test_only_the_first_process_writes(small, dl, tmp_path):
    "Under torchrun the schedule moves on every process; files are the first process's job (`main_only`)."
    from colorful_world.sources import demo_images
    from colorful_world.training import (CheckpointCB, EvolutionCB, HistoryCB, LRScheduleCB, Pix2Pix,
                                         fixed_pictures)
    elsewhere = Pix2Pix(replace(small, out_dir=str(tmp_path/'rank1'), n_epochs=2, n_epochs_decay=1))
    fixed = fixed_pictures(small, demo_images()[:2])
    with mock.patch('colorful_world.callbacks.is_main_process', return_value=False):
        elsewhere.fit(dl, [LRScheduleCB(), HistoryCB(), EvolutionCB(fixed), CheckpointCB()])
    assert not (tmp_path/'rank1').exists() and elsewhere.history == []
    fct.test_eq(elsewhere.sched_G.last_epoch, 2)


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    "Three epochs of a tiny model on the demo photos, saved after each."
    from colorful_world.training import preset
    return preset('cpu_demo', out_dir=str(tmp_path_factory.mktemp('full')), image_size=64, n_down=6, ngf=8, ndf=8,
                  batch_size=4, repeat=2, n_epochs=3, n_epochs_decay=2, save_frequency=1, save_every_epoch=True)


@pytest.fixture(scope='module')
def full(tiny):
    from colorful_world.training import train
    return train(tiny, progress=False)


def test_a_short_run_and_exact_resume(tiny, full):
    "A run resumed from its epoch-2 checkpoint trains epoch 3 again with the uninterrupted run's losses."
    from colorful_world.training import LOSSES, Pix2Pix, default_cbs, make_loaders
    fct.test_eq(full.epoch, 3)
    fct.test_eq(len(full.history), 3 * (7 * 2 // 4))
    fct.test_eq(sorted(p.name for p in tiny.model_path.iterdir()),
            ['epoch_0001.safetensors', 'epoch_0002.safetensors', 'epoch_0003.safetensors', 'last.safetensors'])
    fct.test_eq(len(list((tiny.result_path/'evolution').glob('epoch_*.png'))), 3)
    resumed = Pix2Pix.resume(tiny.model_path/'epoch_0002.safetensors')
    fct.test_eq((resumed.epoch, resumed.opt_G.param_groups[0]['lr']), (2, full.history[-1]['lr_G']))
    resumed.fit(make_loaders(resumed.cfg)[0], default_cbs(resumed.cfg, progress=False))
    ref = [h for h in full.history if h['epoch'] == 3]
    fct.test_eq([h['step'] for h in resumed.history], [h['step'] for h in ref])
    for a, b in zip(resumed.history, ref):
        for k in LOSSES: fct.test_close(a[k], b[k], eps=1e-6)
    for a, b in zip(resumed.G.state_dict().values(), full.G.state_dict().values()):
        fct.test_close(a.float(), b.float(), eps=1e-5)


def test_pairs_made_on_the_device_train_like_pairs_made_in_the_loader(tiny, full, tmp_path):
    "uint8 crops split on the device (the default) train as pairs made in the loader; `crops_on_device` too."
    from colorful_world.training import LOSSES, make_loaders, train
    fct.test_eq(next(iter(make_loaders(tiny)[0])).dtype, torch.uint8)
    one = dict(n_epochs=1, n_epochs_decay=0)
    in_loader = train(replace(tiny, out_dir=str(tmp_path/'in_loader'), pairs_on_device=False, **one), progress=False)
    fct.test_eq(next(iter(make_loaders(in_loader.cfg)[0]))[0].shape, (4, 1, 64, 64))
    for a, b in zip(in_loader.history, full.history):
        fct.test_close([a[k] for k in LOSSES], [b[k] for k in LOSSES], eps=1e-5)
    on_dev = train(replace(tiny, out_dir=str(tmp_path/'on_dev'), crops_on_device=True, **one), progress=False)
    fct.test_eq(type(make_loaders(on_dev.cfg)[0]).__name__, 'DeviceCrops')
    fct.test_eq(len(on_dev.history), len(in_loader.history))  # as many steps; other crops (drawn in batches)
    assert all(math.isfinite(h[k]) for h in on_dev.history for k in LOSSES)


def test_an_interrupted_epoch_leaves_floats_in_the_history(tiny, tmp_path):
    "Ctrl-C in the middle of an epoch: the history so far holds plain floats, ready to plot."
    from colorful_world.training import LOSSES, HistoryCB, Pix2Pix, make_loaders
    class Interrupted:
        "Two batches of `dl`, then a KeyboardInterrupt, as when a user stops the cell."
        def __init__(self, dl): self.dl, self.sampler = dl, dl.sampler
        def __len__(self): return len(self.dl)
        def __iter__(self):
            for i, b in enumerate(self.dl):
                if i == 2: raise KeyboardInterrupt
                yield b
    stopped = Pix2Pix(replace(tiny, out_dir=str(tmp_path/'stopped')))
    with pytest.raises(KeyboardInterrupt): stopped.fit(Interrupted(make_loaders(tiny)[0]), [HistoryCB()])
    fct.test_eq(len(stopped.history), 2)
    assert all(isinstance(h[k], float) for h in stopped.history for k in LOSSES)


@pytest.fixture(scope='module')
def cut(tiny):
    "The tiny config, saving only `last`."
    return replace(tiny, save_every_epoch=False)


def test_resuming_from_the_runs_folder(cut, tmp_path):
    "`train(resume=True)` continues a finished run with a longer schedule, its history included."
    from colorful_world.training import Pix2Pix, read_history, train
    folder = str(tmp_path/'cut2')
    train(replace(cut, out_dir=folder, n_epochs=3), progress=False)
    r = train(replace(cut, out_dir=folder, n_epochs=5, n_epochs_decay=2), resume=True, progress=False)
    fct.test_eq(r.epoch, 5)
    fct.test_eq(max(h['epoch'] for h in read_history(folder)), 5)
    fct.test_eq(len(read_history(folder)), 5 * 3)
    lr_G = {h['epoch']: h['lr_G'] for h in read_history(folder)}  # epochs counted from 1 in the history
    fct.test_close([lr_G[4], lr_G[5]], [cut.lr_gen * 2 / 3, cut.lr_gen / 3])  # the longer schedule's, not 0
    saves, real_save = [], Pix2Pix.save
    def counted_save(self, path=None):
        saves.append((self.epoch, self.step))
        return real_save(self, path)
    with mock.patch.object(Pix2Pix, 'save', counted_save):  # 3 steps an epoch, `last` also saved every 2 steps
        train(replace(cut, out_dir=str(tmp_path/'steps'), n_epochs=2, n_epochs_decay=0, save_every_steps=2,
                      save_frequency=10), progress=False)
    fct.test_eq(saves, [(0, 2), (1, 4), (1, 6), (2, 6)])  # (epoch, step): every 2 steps, and after the last epoch


def test_history_files_are_written_atomically(cut, tmp_path):
    "A failed write leaves the files as they were; a row cut short anyway is left out on resume, warning."
    from colorful_world.callbacks import write_history
    from colorful_world.training import read_history, train
    folder = tmp_path/'cut2'
    r = train(replace(cut, out_dir=str(folder), n_epochs=5, n_epochs_decay=2), progress=False)
    steps = folder/'results'/'history_steps.csv'
    before = steps.read_bytes()
    with mock.patch('os.replace', side_effect=KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt): write_history(r.history, r.cfg.result_path)
    fct.test_eq(steps.read_bytes(), before)
    head, last = before.rstrip(b'\n').rsplit(b'\n', 1)
    steps.write_bytes(head + b'\n' + last[:8])  # the last row, cut after 8 bytes
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        r = train(replace(cut, out_dir=str(folder), n_epochs=6, n_epochs_decay=2), resume=True, progress=False)
    assert any('left out 1 incomplete rows' in str(x.message) for x in w)
    fct.test_eq(r.epoch, 6)
    fct.test_eq([e['epoch'] for e in csv.DictReader(open(folder/'results'/'history_epochs.csv'))],
            [str(e) for e in range(1, 7)])
    fct.test_eq({type(h[k]) for h in read_history(folder) for k in ('epoch', 'step')}, {int})


def test_the_alternate_schedule_across_epochs_and_a_resume(tmp_path):
    "D on even steps, G on odd ones, counted over the run: both get as many updates over two epochs."
    from colorful_world.training import LOSSES, preset, read_history, train
    n_updates = lambda opt: int(opt.state_dict()['state'][0]['step'])
    for n_batches, bs in ((1, 7), (3, 2)):  # 7 training photos in the demo set
        alt = preset('cpu_demo', image_size=64, n_down=6, ngf=8, ndf=8, repeat=1, batch_size=bs, alternate=True,
                     n_epochs=1, out_dir=str(tmp_path/f'alt{n_batches}'))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            train(alt, progress=False)
            r = train(replace(alt, n_epochs=2), resume=True, progress=False)  # the second epoch after a resume
        fct.test_eq((n_updates(r.opt_D), n_updates(r.opt_G)), (n_batches, n_batches))
        fct.test_eq([str(x.message) for x in w if 'lr_scheduler' in str(x.message)], [])
        epochs = list(csv.DictReader(open(alt.result_path/'history_epochs.csv')))
        fct.test_eq([e['epoch'] for e in epochs], ['1', '2'])  # ints, also for the epochs before the resume
        assert not any(math.isnan(float(e[k])) for e in epochs for k in LOSSES), epochs
        assert not any(math.isnan(h[k]) for h in read_history(alt.result_path) for k in LOSSES)


def test_the_originals_calls_train_with_its_recipe(tmp_path):
    """Each of the original project's `Config(...)` calls trains one tiny epoch as it did: its models, λ = 1,
    β1 = 0.9, a constant rate, whole photos with PIL's luma, D and G on alternating steps, the idle one in eval."""
    from colorful_world.config import ORIGINAL_CALLS, Config
    from colorful_world.training import Pix2Pix, make_loaders, train
    n_updates = lambda opt: int(opt.state_dict()['state'][0]['step'])
    def tiny_original(cfg, name):
        "The call's recipe on a small model and five 64² demo photos, for one epoch."
        return replace(cfg, image_size=64, n_down=6, ngf=8, ndf=8, max_photos=5, batch_size=2, n_epochs=1,
                       device='cpu', out_dir=str(tmp_path/f'original_{name}'))
    modes, real_fit = {}, Pix2Pix.fit
    def hooked_fit(self, dl, cbs=(), until=None):
        "`fit`, recording at each step the models that ran and whether each was in training mode."
        for name, m in (('G', self.G), ('D', self.D)):
            m.register_forward_pre_hook(
                lambda mod, args, name=name: modes.setdefault(self.step, set()).add((name, mod.training)))
        return real_fit(self, dl, cbs, until)
    with warnings.catch_warnings(), mock.patch.object(Pix2Pix, 'fit', hooked_fit):
        warnings.simplefilter('ignore')  # the original's names alone (its recipe), train_on_colab outside Colab
        for name, kw in ORIGINAL_CALLS.items():
            modes.clear()
            r = train(tiny_original(Config(**kw), name), progress=False)
            betas = r.opt_G.param_groups[0]['betas']
            fct.test_eq((r.epoch, r.cfg.n_epochs_decay, r.cfg.lambda_L1, betas[0]), (1, 0, 1., 0.9))
            fct.test_eq((r.G.layout, type(r.D).__name__), ('original', 'OriginalDiscriminator'))
            fct.test_eq((n_updates(r.opt_D), n_updates(r.opt_G)), (1, 1))  # D on step 0, G on step 1
            fct.test_eq((modes[0], modes[1]), ({('G', False), ('D', True)}, {('G', True), ('D', False)}))  # idle: eval
            fct.test_eq([h['lr_G'] for h in r.history], [kw['lr_gen']] * 2)
            fct.test_eq((r.dl.dataset.crop, r.dl.dataset.gray), ('resize', 'luma'))
    fct.test_eq(len(make_loaders(replace(r.cfg, valid_pct=0))[0].dataset.files), 5)  # `max_photos`, all trained on


def test_train_checks_its_config_once(tmp_path):
    "One `train` validates its config once (model and run fields together), before the first step."
    from colorful_world.model import ModelConfig
    from colorful_world.training import preset, train
    cfg = preset('cpu_demo', out_dir=str(tmp_path/'run'), image_size=64, n_down=6, ngf=8, ndf=8, batch_size=4,
                 n_epochs=1, n_epochs_decay=0)
    with mock.patch.object(ModelConfig, 'validate', autospec=True, side_effect=ModelConfig.validate) as checked:
        run = train(cfg, progress=False)
    fct.test_eq((run.epoch, checked.call_count), (1, 1))
