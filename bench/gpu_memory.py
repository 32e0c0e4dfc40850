"""GPU memory of training: peak memory per image at 256² and 512², and the largest 512² batch within 16 GB.

    python bench/gpu_memory.py [--budget-gb 16] [--max-batch 512] [--json]

Measured on the project's training path (bf16 autocast, channels_last, fused Adam) with the pix2pix models,
without and with activation checkpointing (`Config.recompute`: G keeps its steps' inputs, D its conv blocks'
inputs). The per-image figure is the slope of the peak between two batch sizes, so it excludes the fixed cost of
weights and optimizer state.

Without a GPU it says so, exits 0, and prints what can be counted anywhere: the bytes autograd saves for the
backward pass per image (`colorful_world.unet.activation_bytes`, bf16 autocast) and the fixed cost of weights,
gradients and Adam state. Their sum is a lower bound on the GPU peak (which adds workspaces, the backward
pass's temporaries and allocator slack), so the batch it predicts is an upper bound.
"""
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import parser, random_batch, report

GiB, MiB = 2**30, 2**20


def peak_bytes(cfg, bs: int) -> int:
    "Peak GPU memory of two training steps at batch `bs` (raises torch.OutOfMemoryError when it does not fit)."
    import torch, gc
    from colorful_world.training import Pix2Pix
    gc.collect(); torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
    run = Pix2Pix(cfg)
    s = cfg.image_size
    try:
        gray, target = random_batch(bs, s, 'cuda')
        for _ in range(2): run.train_step(gray, target)
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated()
    finally:
        del run; gc.collect(); torch.cuda.empty_cache()


def largest_batch(cfg, budget: int, hi: int) -> int:
    "The largest batch (up to `hi`) whose peak stays within `budget` bytes (binary search)."
    import torch
    def fits(bs):
        try: return peak_bytes(cfg, bs) <= budget
        except torch.OutOfMemoryError: return False
    lo = 0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid): lo = mid
        else: hi = mid - 1
    return lo


def saved_estimate(size: int, recompute: bool, budget: int, device: str) -> dict:
    "Per-image bytes autograd saves at a training step's peak (G's graph and one D graph), fixed bytes, predicted batch."
    import torch
    from colorful_world.model import build_discriminator, build_generator
    from colorful_world.training import preset
    from colorful_world.unet import activation_bytes, n_params
    cfg = preset('pix2pix', image_size=size, recompute=recompute, device=device)
    G, D = build_generator(cfg).to(device), build_discriminator(cfg).to(device)
    g, d = activation_bytes(G, size), activation_bytes(D, size, in_ch=3)
    inputs = size * size * (4 + 8 + 3 * 4)  # gray and ab targets in float32, D's concatenated input
    per_image = g + d + inputs  # the D step back-propagates the real pairs before D sees the fakes
    fixed = (n_params(G) + n_params(D)) * (4 + 4 + 8 + 2)  # fp32 weights, gradients, Adam's two moments, bf16 copies
    return dict(size=size, recompute=recompute, G_mib=g / MiB, D_mib_per_forward=d / MiB, mib_per_image=per_image / MiB,
                fixed_gib=fixed / GiB, batch_bound=int((budget - fixed) // per_image))


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--budget-gb', type=float, default=16.)
    ap.add_argument('--max-batch', type=int, default=512, help='upper end of the search for the largest batch')
    args = ap.parse_args()
    budget = int(args.budget_gb * GiB)
    import torch
    if not torch.cuda.is_available():
        if not args.json: print('# pix2pix training memory on a GPU\nno CUDA GPU present: nothing measured on a GPU (run this on a GPU machine)\n')
        rows = [saved_estimate(s, ck, budget, 'cpu') for s in (256, 512) for ck in (False, True)]
        report('estimate: bytes saved for the backward pass, bf16 autocast, counted on the CPU (a lower bound on the GPU peak)',
               rows, args, dict(skipped='no CUDA GPU present', batch_bound=f'the largest batch this lower bound allows within {args.budget_gb:g} GiB'),
               name='gpu_memory_estimate')
        return 0
    from colorful_world.training import preset
    rows, extra = [], {}
    for ck in (False, True):
        for size in (256, 512):
            cfg = preset('pix2pix', image_size=size, device='cuda', recompute=ck)
            a, b = peak_bytes(cfg, 2), peak_bytes(cfg, 10)
            rows.append(dict(size=size, recompute=ck, peak_gib_batch2=a / GiB, peak_gib_batch10=b / GiB, mib_per_image=(b - a) / 8 / MiB))
        cfg = preset('pix2pix', image_size=512, device='cuda', recompute=ck)
        extra[f'largest 512² batch within {args.budget_gb:g} GiB, recompute={ck}'] = largest_batch(cfg, budget, args.max_batch)
    estimates = [saved_estimate(512, ck, budget, 'cuda') for ck in (False, True)]
    extra.update({f"estimate (saved tensors) at 512², recompute={e['recompute']}": f"{e['mib_per_image']:.1f} MiB per image" for e in estimates})
    report('pix2pix training memory (bf16 autocast, channels_last)', rows, args, extra)
    return 0


if __name__ == '__main__': sys.exit(main())
