"""CPU serving: photos/s of `colorful-world colorize` and of the server's `/colorize`, the path before issue 15 against today's.

    python bench/cpu_serving.py [--megapixels 3] [--repeats 3] [--cli-threads 2] [--server-threads 1] [--json] [--smoke]

photos:  the real photos that ship with scikit-image and matplotlib (`demo_images`), each enlarged (LANCZOS) to about
         `--megapixels` and saved as a JPEG of quality 90 with its ICC profile, as a camera would.
before:  the code before issue 15, kept here as a reference: chroma resized by dense matrices (O(width × model width)),
         lightness and Lab → RGB by `00_core`'s kornia formulas in float, a band of rows at a time; `to_rgb` a second
         time on what `open_image` had converted (the photo kept its ICC profile); the CLI wrote PNGs at zlib level 6.
now:     the package: `Colorizer` (`resize_span` + `set_chroma` in NumPy, bytes to bytes, a tile at a time); the CLI writes with
         `save_atomic` (PNG at level 1, or `--format jpg/webp`).
CLI:     `open_image(file)` → colorize → a file in a temporary folder, `--cli-threads` torch threads (2 cores).
server:  the upload's bytes → `read_upload` → colorize → PNG at level 1 in memory; `now` goes through the real app
         (`create_app`'s test client, multipart parsing included), `before` calls the same steps directly;
         `--server-threads` torch threads: one, what each of two workers gets on two cores.
Paths are interleaved, repeat by repeat; photos/s is from each path's best repeat (the machine is shared).
max_diff: the largest difference, in 8-bit levels, between `before` and `now` for the same photo: `combine` for the
recombination alone (same chroma), `output` for the whole result (where the second ICC conversion also shifted it).
"""
import io, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import parser, report


def resize_matrix(n_in, n_out):
    "Before: the dense `(n_out, n_in)` matrix of antialiased bilinear resizing, `F.interpolate` of the identity."
    import torch, torch.nn.functional as F
    eye = torch.eye(n_in)[None, None]
    return F.interpolate(eye, size=(n_in, n_out), mode='bilinear', antialias=True, align_corners=False)[0, 0].T


def combine_before(rgb, ab, rows=None):
    "Before: the photo's lightness with `ab` resized by matrices, converted by `00_core`'s formulas a band at a time."
    import numpy as np, torch
    from colorful_world.core import image_to_tensor, lab_to_rgb, lightness, tensor_to_image
    H, W = rgb.shape[:2]
    Wy, abw = resize_matrix(ab.shape[-2], H), ab.float() @ resize_matrix(ab.shape[-1], W).T
    out, rows = np.empty_like(rgb), rows or max(1, 2 ** 20 // W)
    with torch.inference_mode():
        for r in range(0, H, rows):
            L = lightness(image_to_tensor(rgb[r:r + rows]))
            out[r:r + rows] = np.asarray(tensor_to_image(lab_to_rgb(torch.cat([L, Wy[r:r + rows] @ abw]))))
    return out


def colorize_before(col, img):
    "Before: `Colorizer.__call__` as it was."
    import numpy as np
    from PIL import Image
    from colorful_world.core import to_rgb
    from colorful_world.colorizer import model_size
    img = to_rgb(img)
    small = img.resize(model_size(*img.size, col.cfg.image_size), Image.Resampling.BICUBIC, reducing_gap=3.)
    return Image.fromarray(combine_before(np.asarray(img), col.predict_ab(small)))


def open_before(path):
    "Before: `open_image` converted to sRGB but kept the ICC profile, so the Colorizer converted the photo again."
    from PIL import Image
    from colorful_world.core import open_image
    img = open_image(path)
    with Image.open(path) as f: icc = f.info.get('icc_profile')
    if icc: img.info['icc_profile'] = icc
    return img


def make_photos(folder: Path, megapixels: float, n: int | None = None) -> list:
    "The demo photos enlarged to about `megapixels` each, as JPEGs (quality 90) with their ICC profiles."
    from PIL import Image
    from colorful_world.sources import demo_images
    paths = []
    for p in demo_images()[:n]:
        with Image.open(p) as im:
            icc, k = im.info.get('icc_profile'), (megapixels * 1e6 / (im.width * im.height)) ** 0.5
            im = im.convert('RGB').resize((round(im.width * k), round(im.height * k)), Image.Resampling.LANCZOS)
            paths.append(folder / f'{p.stem}.jpg')
            im.save(paths[-1], quality=90, **({'icc_profile': icc} if icc else {}))
    return paths


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--megapixels', type=float, default=3.)
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--cli-threads', type=int, default=2)
    ap.add_argument('--server-threads', type=int, default=1)
    ap.add_argument('--formats', nargs='*', default=['png', 'jpg', 'webp'], help="the CLI's --format values to time")
    ap.add_argument('--smoke', action='store_true', help='2 small photos, 1 repeat: checks that the script runs')
    args = ap.parse_args()
    if args.smoke: args.megapixels, args.repeats = 0.1, 1
    import numpy as np, torch
    from PIL import Image
    from colorful_world.cli import FORMATS, save_atomic
    from colorful_world.core import open_image
    from colorful_world.colorizer import Colorizer, combine_lab, model_size, read_upload
    from colorful_world.serving import create_app
    tmp = Path(tempfile.mkdtemp())
    photos = make_photos(tmp, args.megapixels, 2 if args.smoke else None)
    data = {p: p.read_bytes() for p in photos}
    mp = sum(Image.open(p).width * Image.open(p).height for p in photos) / 1e6
    col = Colorizer()
    client = create_app(colorizer=col).test_client()
    out = tmp / 'out'

    def cli_before(p):
        colorize_before(col, open_before(p)).save(tmp / 'before' / f'{p.stem}.png')  # PIL's default: zlib level 6

    def cli_now(fmt):
        return lambda p: save_atomic(col(open_image(p)), out / f'{p.stem}.{fmt}', fmt)

    def server_before(p):
        colorize_before(col, read_upload(data[p])).save(io.BytesIO(), 'PNG', compress_level=1)

    def server_now(p):
        r = client.post('/colorize', data={'image': (io.BytesIO(data[p]), p.name)})
        assert r.status_code == 200 and r.mimetype == 'image/png', r.get_data(as_text=True)[:200]

    paths = {('CLI', 'before (PNG level 6)'): (cli_before, args.cli_threads)}
    paths.update({('CLI', f'now, --format {f}'): (cli_now(f), args.cli_threads) for f in args.formats if f in FORMATS})
    paths.update({('server', 'before'): (server_before, args.server_threads), ('server', 'now'): (server_now, args.server_threads)})
    out.mkdir(); (tmp / 'before').mkdir()
    secs = {k: [] for k in paths}
    for rep in range(args.repeats + 1):  # the first round warms up
        for k, (fn, threads) in paths.items():
            torch.set_num_threads(threads)
            t = time.perf_counter()
            for p in photos: fn(p)
            if rep: secs[k].append(time.perf_counter() - t)
    size = lambda files: round(sum(f.stat().st_size for f in files) / mp / 1e6, 2)
    sizes = {f'now, --format {f}': size(out.glob(f'*.{f}')) for f in FORMATS} | {'before (PNG level 6)': size((tmp / 'before').glob('*'))}

    torch.set_num_threads(args.cli_threads)
    d_combine = d_output = 0
    for p in photos:  # the same photo and chroma through both recombinations, and both whole paths
        img = open_image(p)
        ab = col.predict_ab(img.resize(model_size(*img.size, col.cfg.image_size), Image.Resampling.BICUBIC, reducing_gap=3.))
        rgb = np.asarray(img)
        d_combine = max(d_combine, int(np.abs(combine_before(rgb, ab).astype(int) - combine_lab(rgb, ab)).max()))
        a, b = np.asarray(colorize_before(col, open_before(p)), dtype=int), np.asarray(col(open_image(p)), dtype=int)
        d_output = max(d_output, int(np.abs(a - b).max()))

    rows, base = [], {}
    for (where, path), ts in secs.items():
        rate = len(photos) / min(ts)
        base.setdefault(where, rate)
        rows.append(dict(path=where, variant=path, threads=paths[where, path][1], photos_per_s=round(rate, 2),
                         ms_per_megapixel=round(min(ts) * 1e3 / mp, 1), speedup=round(rate / base[where], 2),
                         **({'file_mb_per_megapixel': sizes[path]} if where == 'CLI' else {})))
    extra = dict(photos=len(photos), megapixels=round(mp, 1), repeats=args.repeats, max_diff_combine=d_combine,
                 max_diff_output=d_output)
    report(f'colorizing {len(photos)} real photos ({mp:.1f} MP in all) on the CPU: the path before issue 15 vs now',
           rows, args, extra, name='' if args.smoke else None)


if __name__ == '__main__': main()
