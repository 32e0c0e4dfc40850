"""Data loading throughput: images per second per worker for decode + augment (+ gray/Lab conversion).

    python bench/data_loading.py [--size 256] [--json]

Every sample decodes its photo from disk (no cache) and takes a random resized crop and flip, as training does.
Two loader modes:
  pairs in loader   the worker also splits each crop into its grayscale input and Lab target (float32, 12 B/px);
  uint8 crops       the worker stops at the 8-bit crop (3 B/px) and `split_batch` makes the pairs a batch at a
                    time on the training device (`Config.pairs_on_device`, the default).
The per-worker rate says how many loader workers keep a GPU fed. Then `DeviceCrops` (`Config.crops_on_device`, the
default on CUDA): each photo decoded once (`decode_s`, with the loader's workers), then batches of 32 crops cut,
flipped and exposed in a few batched operations where the photos are kept (here the CPU, 1 thread; on a GPU the
device). The last rows time `split_batch` itself on this CPU, per image, for a batch of 32 (on a GPU it is a few
elementwise kernels).
"""
import os, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import parser, report


def rate(files, size: int, workers: int, n: int, space: str, pairs: bool) -> float:
    import torch
    from torch.utils.data import DataLoader
    from colorful_world.data import ColorizationDataset
    ds = ColorizationDataset(files, size, space, train=True, repeat=max(1, n // len(files)), cache=False, pairs=pairs)
    dl = DataLoader(ds, batch_size=8, shuffle=True, num_workers=workers, persistent_workers=False)
    it = iter(dl); next(it)  # start the workers
    t, seen = time.perf_counter(), 0
    for b in it: seen += len(b[0] if pairs else b)
    return seen / (time.perf_counter() - t)


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--size', type=int, default=256)
    ap.add_argument('--n', type=int, default=240, help='samples per measurement')
    ap.add_argument('--workers', type=int, nargs='*', default=[0, 1, 2])
    args = ap.parse_args()
    import torch
    from colorful_world.sources import demo_images
    torch.set_num_threads(1)  # like a loader worker
    import tempfile
    from colorful_world.core import open_image
    demo = demo_images()
    lfw_like = Path(tempfile.mkdtemp())  # LFW's format: 250×250 JPEGs
    for i, f in enumerate(demo * 3):
        im = open_image(f); s = min(im.size)
        im.crop((0, 0, s, s)).resize((250, 250)).rotate(7 * i).save(lfw_like/f'{i:03d}.jpg', quality=90)
    rows = []
    for name, files in [('LFW-like 250² JPEGs', sorted(lfw_like.glob('*.jpg'))), ('demo photos (0.1–6 MP)', demo)]:
        for w in args.workers:
            for mode, pairs in [('pairs in loader', True), ('uint8 crops', False)]:
                r = rate(files, args.size, w, args.n, 'lab', pairs)
                rows.append(dict(photos=name, mode=mode, workers=w, images_per_s=r, per_worker=r / max(1, w)))
    from _common import timeit
    from colorful_world.data import ColorizationDataset, DeviceCrops, split_batch
    for name, files in [('LFW-like 250² JPEGs', sorted(lfw_like.glob('*.jpg'))), ('demo photos (0.1–6 MP)', demo)]:
        t = time.perf_counter()
        dc = DeviceCrops(ColorizationDataset(files, args.size, cache=False, pairs=False), 32, 'cpu')
        decode = time.perf_counter() - t
        idx = torch.randint(0, len(files), (32,))
        t = timeit(lambda: dc.crops(idx), n=10)
        rows.append(dict(photos=name, mode='DeviceCrops: decoded once, crops batched', workers=0, decode_s=decode,
                         images_per_s=32 / (t['p50'] / 1000)))
    crops = torch.randint(0, 256, (32, 3, args.size, args.size), dtype=torch.uint8)
    for threads in sorted({1, torch.get_num_threads(), os.cpu_count() or 1}):
        torch.set_num_threads(threads)
        t = timeit(lambda: split_batch(crops, 'lab'), n=10)
        rows.append(dict(photos=f'split_batch, batch 32, {threads} thread(s)', mode='on this CPU', images_per_s=32 / (t['p50'] / 1000)))
    report(f'data loading at {args.size}²: decode + random resized crop + flip (+ Lab split), decoded every time', rows, args)


if __name__ == '__main__': main()
