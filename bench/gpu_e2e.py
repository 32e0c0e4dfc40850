"""GPU training end to end: images per second of `Pix2Pix.fit` on JPEGs from disk, against its step alone.

    python bench/gpu_e2e.py [--photos 3200] [--batch-size 64] [--epochs 3] [--workers 4 16] [--json]

The photos are LFW's format (250×250 JPEGs), made from the photos that ship with the package. Each row trains the
same pix2pix model (`preset('pix2pix')`: bf16, channels_last, torch.compile on a GPU) for `--epochs` epochs, fed by:
  DataLoader, N workers   each worker decodes, crops, flips and exposes every photo every epoch (uint8 crops, split
                          into gray and Lab target on the GPU: `Config.pairs_on_device`);
  DeviceCrops             every photo decoded once (with the loader's workers: `decode_s`) and kept on the GPU, each
                          batch's crops cut there (`Config.crops_on_device`, the default on CUDA).
`first_epoch` and `later_epochs` are images/s (the first includes compiling); `step` is the training step alone on a
batch already on the GPU, and `e2e_vs_step` = later_epochs / step (issue 15's target: at least 0.9).
Without a GPU it says so and exits 0; `--device cpu --small` times the same code on the CPU, as a smoke test.
"""
import sys, tempfile, time
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import parser, random_batch, report, timeit


def lfw_like(n: int, dest: Path) -> list:
    "`n` 250×250 JPEGs cut from the packaged corpus photos (rotated and shifted, so that no two are the same)."
    from PIL import ImageOps
    from colorful_world.core import open_image
    from colorful_world.sources import PHOTOS_DIR
    src = sorted(PHOTOS_DIR.glob('*.jpg'))
    for i in range(n):
        im = open_image(src[i % len(src)])
        ImageOps.fit(im.rotate(5 * (i // len(src)), expand=False), (250, 250), centering=(0.4 + 0.2 * (i % 3) / 2, 0.5)
                     ).save(dest/f'{i:05d}.jpg', quality=90)
    return sorted(dest.glob('*.jpg'))


def epochs_rate(run, dl, epochs: int, sync) -> tuple:
    "Images/s of the first epoch and of the later ones, training `run` on `dl`."
    times = []
    for e in range(epochs):
        sync()
        t = time.perf_counter()
        run.fit(dl, [], until=run.epoch + 1)
        sync()
        times.append(time.perf_counter() - t)
    per_epoch = len(dl) * dl.batch_size  # a DataLoader or DeviceCrops
    later = per_epoch * (epochs - 1) / sum(times[1:]) if epochs > 1 else float('nan')
    return per_epoch / times[0], later


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--photos', type=int, default=3200)
    ap.add_argument('--size', type=int, default=256)
    ap.add_argument('--batch-size', type=int, default=64)
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--workers', type=int, nargs='*', default=[4, 16], help='DataLoader workers to compare')
    ap.add_argument('--device', default='cuda')
    ap.add_argument('--small', action='store_true', help='a small model (n_down=6, ngf=16) for a CPU smoke test')
    args = ap.parse_args()
    import torch
    from colorful_world.training import Pix2Pix, make_loaders, preset
    title = f'pix2pix training end to end at {args.size}², batch {args.batch_size}: images/s'
    if args.device == 'cuda' and not torch.cuda.is_available():
        if not args.json: print(f'# {title}\nno CUDA GPU present: nothing timed (run this on a GPU machine)\n')
        report(title, [], args, dict(skipped='no CUDA GPU present'), name='')
        return 0
    device = torch.device(args.device)
    sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)
    folder = Path(tempfile.mkdtemp())
    files = lfw_like(args.photos, folder)
    kw = dict(n_down=6, ngf=16, ndf=16) if args.small else {}
    cfg = preset('pix2pix', data_dir=str(folder), image_size=args.size, batch_size=args.batch_size, valid_pct=0.,
                 device=args.device, compile=device.type == 'cuda', show_color_evolution=False, plot_loss=False,
                 n_epochs=10 ** 6, n_epochs_decay=0, out_dir=str(folder/'run'), **kw)
    run = Pix2Pix(cfg)
    gray, target = random_batch(args.batch_size, args.size, device)
    t = timeit(lambda: run.train_step(gray, target, sync=False), n=10, warmup=5 if cfg.compile else 2,
               sync=sync if device.type == 'cuda' else None)
    step = args.batch_size / (t['p50'] / 1000)
    rows = []
    modes = [(f'DataLoader, {w} workers', replace(cfg, workers=w, crops_on_device=False)) for w in args.workers]
    for name, mode_cfg in modes + [('DeviceCrops', replace(cfg, crops_on_device=True, workers=max(args.workers)))]:
        t0 = time.perf_counter()
        dl = make_loaders(mode_cfg)[0]
        setup = time.perf_counter() - t0
        first, later = epochs_rate(Pix2Pix(mode_cfg), dl, args.epochs, sync)
        rows.append(dict(loader=name, photos=len(files), setup_s=setup, first_epoch=first, later_epochs=later,
                         step=step, e2e_vs_step=later / step))
        del dl
    report(title, rows, args, dict(step_images_per_s=step), name=None if device.type == 'cuda' else '')
    return 0


if __name__ == '__main__': sys.exit(main())
