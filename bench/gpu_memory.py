"""GPU memory of training: peak memory per image at 256² and 512², and the largest 512² batch within 16 GB.

    python bench/gpu_memory.py [--budget-gb 16] [--json]

Measured on the project's training path (bf16 autocast, channels_last, fused Adam) with the pix2pix models.
The per-image figure is the slope of the peak between two batch sizes, so it excludes the fixed cost of weights
and optimizer state. Without a GPU it says so and exits 0.
"""
import sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import need_gpu, parser, report


def peak_bytes(cfg, bs: int) -> int:
    "Peak GPU memory of two training steps at batch `bs` (raises torch.OutOfMemoryError when it does not fit)."
    import torch, gc
    from colorful_world.training import Pix2Pix
    gc.collect(); torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
    run = Pix2Pix(cfg)
    s = cfg.image_size
    try:
        gray = torch.rand(bs, 1, s, s, device='cuda') * 2 - 1
        target = (torch.rand(bs, 2, s, s, device='cuda') - 0.5) * 0.6
        for _ in range(2): run.train_step(gray, target)
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated()
    finally:
        del run; gc.collect(); torch.cuda.empty_cache()


def largest_batch(cfg, budget: int, hi: int = 1024) -> int:
    "The largest batch whose peak stays within `budget` bytes (binary search)."
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


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--budget-gb', type=float, default=16.)
    args = ap.parse_args()
    title = 'pix2pix training memory (bf16 autocast, channels_last)'
    if not need_gpu(args, title): return 0
    from colorful_world.training import preset
    rows = []
    for size in (256, 512):
        cfg = preset('pix2pix', image_size=size, device='cuda')
        a, b = peak_bytes(cfg, 2), peak_bytes(cfg, 10)
        rows.append(dict(size=size, peak_gb_batch2=a / 2**30, peak_gb_batch10=b / 2**30, mb_per_image=(b - a) / 8 / 2**20))
    cfg = preset('pix2pix', image_size=512, device='cuda')
    bs = largest_batch(cfg, int(args.budget_gb * 2**30))
    report(title, rows, args, {f'largest 512² batch within {args.budget_gb:g} GB': bs})
    return 0


if __name__ == '__main__': sys.exit(main())
