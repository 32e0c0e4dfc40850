"""Data loading throughput: images per second per worker for decode + augment + gray/Lab conversion.

    python bench/data_loading.py [--size 256] [--json]

Every sample decodes its photo from disk (no cache), takes a random resized crop and flip, and splits it into
its grayscale input and Lab target, as training does. The per-worker rate says how many loader workers keep a
GPU fed (a GPU step at 256² takes a few milliseconds per image).
"""
import sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import parser, report


def rate(files, size: int, workers: int, n: int, space: str) -> float:
    import torch
    from torch.utils.data import DataLoader
    from colorful_world.data import ColorizationDataset
    ds = ColorizationDataset(files, size, space, train=True, repeat=max(1, n // len(files)), cache=False)
    dl = DataLoader(ds, batch_size=8, shuffle=True, num_workers=workers, persistent_workers=False)
    it = iter(dl); next(it)  # start the workers
    t, seen = time.perf_counter(), 0
    for xb, yb in it: seen += len(xb)
    return seen / (time.perf_counter() - t)


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--size', type=int, default=256)
    ap.add_argument('--n', type=int, default=240, help='samples per measurement')
    ap.add_argument('--workers', type=int, nargs='*', default=[0, 1, 2])
    args = ap.parse_args()
    import torch
    from colorful_world.data import demo_images
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
            r = rate(files, args.size, w, args.n, 'lab')
            rows.append(dict(photos=name, workers=w, size=args.size, images_per_s=r, per_worker=r / max(1, w)))
    report(f'data loading at {args.size}²: decode + random resized crop + flip + Lab split, decoded every time', rows, args)


if __name__ == '__main__': main()
