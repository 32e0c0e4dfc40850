"""CPU training speed: milliseconds per step of the demo's training run, with each CPU option on and off.

    python bench/cpu_training.py [--steps 120] [--repeats 3] [--json]

Trains the `cpu_demo` preset (what `colorful-world demo` runs) on the embedded photos, from the same seed, once per
variant and repeat, the variants interleaved so that a noisy machine slows them alike. The first 10 steps of each
run are warm-up. Variants (flush-denormal is on unless a variant says otherwise):
  fp32                     full precision, contiguous
  fp32, no flush-denormal  tiny (denormal) floats computed in full, as torch does by default
  bf16                     bf16 autocast: what `Pix2Pix` does where the CPU has native bf16 and it measures faster
  fp32, channels_last      channels-last memory layout for models and batches
  bf16, channels_last      both
"""
import sys, statistics, time
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import parser, report


def run_steps(cfg, variant: str, steps: int) -> list:
    "Milliseconds of each of `steps` training steps of a fresh run in `variant`."
    import torch
    from colorful_world.data import split_batch
    from colorful_world.training import Pix2Pix, make_loaders
    run = Pix2Pix(cfg)  # sets flush-denormal on the CPU
    torch.set_flush_denormal('no flush-denormal' not in variant)
    run.dtype = torch.bfloat16 if 'bf16' in variant else None
    cl = 'channels_last' in variant
    if cl: run.G, run.D = run.G.to(memory_format=torch.channels_last), run.D.to(memory_format=torch.channels_last)
    dl = make_loaders(cfg)[0]
    times = []
    while len(times) < steps:
        for crops in dl:
            gray, target = split_batch(crops, cfg.space)
            if cl: gray, target = gray.contiguous(memory_format=torch.channels_last), target.contiguous(memory_format=torch.channels_last)
            t = time.perf_counter(); run.train_step(gray, target); times.append((time.perf_counter() - t) * 1000)
            if len(times) == steps: break
    torch.set_flush_denormal(True)
    return times


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--steps', type=int, default=120)
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--variants', nargs='*', default=['fp32', 'fp32, no flush-denormal', 'bf16', 'fp32, channels_last', 'bf16, channels_last'])
    args = ap.parse_args()
    from colorful_world.training import preset
    cfg = preset('cpu_demo', device='cpu', out_dir='/tmp/colorful_world_bench', show_color_evolution=False, pairs_on_device=True)
    times = {v: [] for v in args.variants}
    for _ in range(args.repeats):
        for v in args.variants: times[v] += run_steps(cfg, v, args.steps)[10:]
    base = statistics.median(times[args.variants[0]])
    rows = [dict(variant=v, ms_per_step=statistics.median(t), p95=sorted(t)[int(0.95 * (len(t) - 1))], max_ms=max(t),
                 images_per_s=cfg.batch_size / statistics.median(t) * 1000, vs_first=base / statistics.median(t))
            for v, t in times.items()]
    import torch
    from colorful_world.training import Pix2Pix
    report(f'cpu_demo training step ({cfg.image_size}², batch {cfg.batch_size}, ngf {cfg.ngf}), '
           f'{args.repeats}×{args.steps - 10} steps per variant', rows, args,
           dict(default_here='bf16' if Pix2Pix(cfg).dtype == torch.bfloat16 else 'fp32'))  # native and measured faster
    return 0


if __name__ == '__main__': sys.exit(main())
