"""GPU training throughput: images per second and MFU of a pix2pix step, plain reference against the project's path.

    python bench/gpu_training.py [--size 256] [--batch-sizes 1 16 32 64] [--json]

reference: fp32 (TF32 off), eager, NCHW, foreach Adam — the textbook loop.
project:   what `Pix2Pix` does on a GPU — bf16 autocast, channels_last, torch.compile, fused Adam, cudnn benchmark.
Both run the same pix2pix `unet_256` + 70×70 PatchGAN step (a D step, then a G step) on batches already on the GPU.
FLOPs per step are counted with `torch.utils.flop_counter`; MFU = achieved FLOP/s over the GPU's dense bf16 peak.
A third path adds activation checkpointing (`Config.recompute`): what its memory saving costs in speed.
Without a GPU it says so, exits 0, and prints the FLOPs per image of each path, counted on the CPU
(`--device cpu --small` times the same code on the CPU, as a smoke test).
"""
import sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import parser, random_batch, report, timeit

PEAK_BF16_TFLOPS = {'H200': 989., 'H100': 989., 'A100': 312., 'L4': 121., 'A10': 125., 'T4': 65., 'V100': 125.}


def peak_tflops(name: str):
    return next((v for k, v in PEAK_BF16_TFLOPS.items() if k in name), None)


def paths(cfg) -> list:
    "`(name, is_reference, config)` of each path measured."
    return [('reference', True, cfg), ('project', False, cfg), ('project, recompute', False, replace(cfg, recompute=True))]


def make_run(cfg, reference: bool):
    import torch
    from colorful_world.training import Pix2Pix
    if reference: cfg = replace(cfg, amp=False, channels_last=False, compile=False)
    run = Pix2Pix(cfg)
    if reference:  # the textbook optimizer and full fp32 convolutions
        run.opt_G = torch.optim.Adam(run.G.parameters(), lr=cfg.lr_gen, betas=(cfg.beta1, cfg.beta2))
        run.opt_D = torch.optim.Adam(run.D.parameters(), lr=cfg.lr_dis, betas=(cfg.beta1, cfg.beta2))
    return run


def step_flops(run, gray, target) -> int:
    from torch.utils.flop_counter import FlopCounterMode
    with FlopCounterMode(display=False) as fc: run.train_step(gray, target)
    return fc.get_total_flops()


def measure(cfg, bs: int, reference: bool, steps: int, device):
    import torch
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = not reference
    run = make_run(cfg, reference)
    s = cfg.image_size
    gray, target = random_batch(bs, s, device)
    sync = torch.cuda.synchronize if device.type == 'cuda' else None
    t = timeit(lambda: run.train_step(gray, target, sync=False), n=steps, warmup=5 if cfg.compile else 2, sync=sync)
    flops = step_flops(make_run(replace(cfg, compile=False), reference), gray, target)
    del run
    if device.type == 'cuda': torch.cuda.empty_cache()
    return t, flops


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--size', type=int, default=256)
    ap.add_argument('--batch-sizes', type=int, nargs='*', default=[1, 16, 32, 64])
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--device', default='cuda')
    ap.add_argument('--peak-tflops', type=float, default=None, help="the GPU's dense bf16 peak (default: from its name)")
    ap.add_argument('--small', action='store_true', help='a small model (n_down=6, ngf=16) for a CPU smoke test')
    args = ap.parse_args()
    import torch
    title = f'pix2pix training step at {args.size}²'
    from colorful_world.training import preset
    if args.device == 'cuda' and not torch.cuda.is_available():
        if not args.json: print(f'# {title} on a GPU\nno CUDA GPU present: nothing timed (run this on a GPU machine)\n')
        report(f'FLOPs of one training step per {args.size}² image, counted with torch.utils.flop_counter on the CPU',
               count_flops(preset('pix2pix', image_size=args.size, device='cpu')), args, dict(skipped='no CUDA GPU present'),
               name='gpu_training_flops')
        return 0
    device = torch.device(args.device)
    kw = dict(n_down=6, ngf=16, ndf=16) if args.small else {}
    cfg = preset('pix2pix', image_size=args.size, device=args.device, compile=device.type == 'cuda', **kw)
    peak = args.peak_tflops or (peak_tflops(torch.cuda.get_device_name()) if device.type == 'cuda' else None)
    rows = []
    for bs in args.batch_sizes:
        res = {}
        for name, ref, run_cfg in paths(cfg):
            t, flops = measure(run_cfg, bs, ref, args.steps, device)
            ips = bs / (t['p50'] / 1000)
            res[name], model_flops = ips, res.setdefault('model_flops', flops)  # the reference's: MFU leaves out recomputation
            rows.append(dict(path=name, batch=bs, ms_per_step=t['p50'], images_per_s=ips, gflop_per_image=flops / bs / 1e9,
                             mfu_pct=100 * model_flops / (t['p50'] / 1000) / (peak * 1e12) if peak else float('nan'),
                             speedup=ips / res['reference']))
    report(title, rows, args, dict(peak_bf16_tflops=peak), name=None if device.type == 'cuda' else '')  # CPU: a smoke run
    return 0


def count_flops(cfg) -> list:
    """GFLOP per image of one training step (batch 1), by path: what MFU is computed from. Counted in fp32: bf16 has the
    same FLOPs, and a CPU's bf16 autocast would first time the model in both precisions (80 s for unet_256)."""
    gray, target = random_batch(1, cfg.image_size)
    return [dict(path=name, gflop_per_image=step_flops(make_run(replace(c, amp=False), ref), gray, target) / 1e9)
            for name, ref, c in paths(cfg)]


if __name__ == '__main__': sys.exit(main())
