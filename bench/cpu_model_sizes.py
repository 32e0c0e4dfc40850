"""CPU training throughput by model size and crop size: what a 2-core laptop can train in a couple of hours.

    python bench/cpu_model_sizes.py [--steps 12] [--threads 1 2] [--json]

Times the training step (G and D, the `cpu_demo` recipe: L1 weight 1000, PatchGAN) of `cpu_demo`-shaped U-Nets with
more filters (`ngf`) and bigger crops, on random batches (the step alone: with the photos decoded once and cached, as
`make_default_model.py` trains, decoding and cropping add 5–10%). The first 3 steps of each are warm-up. Columns:
images/s, and the hours that 100 epochs of 2,342 crops (the default model's mix: the corpus 3× and the faces'
training split) would take at that speed. The default model's size was chosen from this table.
"""
import sys, statistics, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import parser, report, random_batch

SIZES = [(8, 128), (16, 128), (24, 128), (32, 128), (16, 160), (16, 192)]  # (ngf, crop side)


def images_per_s(ngf: int, size: int, threads: int, steps: int, channels_last: bool) -> dict:
    "Images per second and parameters of the training step of a `cpu_demo` config with `ngf` filters at `size`²."
    import torch
    from colorful_world.config import preset
    from colorful_world.training import Pix2Pix
    from colorful_world.unet import n_params
    torch.set_num_threads(threads)
    cfg = preset('cpu_demo', ngf=ngf, ndf=2 * ngf, image_size=size, device='cpu', out_dir='/tmp/cw_bench_sizes',
                 show_color_evolution=False, channels_last=channels_last)
    run = Pix2Pix(cfg)
    run.dtype = None  # fp32: measured faster than bf16 on this CPU (bench/cpu_training.py)
    if channels_last: run.G, run.D = (m.to(memory_format=torch.channels_last) for m in (run.G, run.D))
    gray, target = random_batch(cfg.batch_size, size)
    if channels_last: gray, target = (t.contiguous(memory_format=torch.channels_last) for t in (gray, target))
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        run.train_step(gray, target)
        times.append(time.perf_counter() - t)
    ips = cfg.batch_size / statistics.median(times[3:])
    return dict(ngf=ngf, crop=size, threads=threads, channels_last=channels_last, G_params_M=n_params(run.G) / 1e6,
                G_MB_fp16=n_params(run.G) * 2 / 1e6, images_per_s=ips, hours_100_epochs=100 * 2342 / ips / 3600)


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--steps', type=int, default=12)
    ap.add_argument('--threads', type=int, nargs='*', default=[1, 2])
    ap.add_argument('--sizes', nargs='*', default=[f'{g}x{s}' for g, s in SIZES], help='ngf x crop side')
    ap.add_argument('--no-channels-last', action='store_true', help='skip the channels_last rows')
    args = ap.parse_args()
    rows = []
    for spec in args.sizes:
        ngf, size = map(int, spec.split('x'))
        for th in args.threads:
            for cl in ([False] if args.no_channels_last else [False, True]):
                rows.append(images_per_s(ngf, size, th, args.steps, cl))
                print(rows[-1], flush=True)
    report('cpu_demo-shaped training step by model and crop size (fp32, batch 8)', rows, args, name='cpu_model_sizes')
    return 0


if __name__ == '__main__': sys.exit(main())
