"""CPU inference: colorizing one photo, the plain reference against the path `Colorizer` serves.

    python bench/cpu_inference.py [--sizes 256 512] [--runs 20] [--models unet_256 cpu_demo] [--json]

reference: the model run as-is on the whole photo — fp32, eager, contiguous, `torch.no_grad`, at the photo's own
           resolution (padded to the UNet's multiple), its Lab output recombined with the photo's lightness.
served:    `Colorizer` — the model at its training resolution (the photo resized to the same area), bf16 autocast
           where it measures faster (`bf16_faster`), channels_last, `inference_mode`; the chroma upsampled and
           combined with the photo's full-resolution lightness. Two variants: the default, which also colorizes the
           mirror image and averages (`flip=True`: twice the model's work, steadier colors), and `flip=False`;
           and `int8=True` (with the mirror pass): the model quantized to int8 and compiled for the photo's input
           shape (`setup_s`: that first call, compiling included; the timings come after it).
Both use the same weights: pix2pix's `unet_256` (random weights, seeded: a timing of the architecture) and the
`cpu_demo` model that ships with the package (trained: its PSNR says what the served path costs in quality).
PSNR: served_vs_ref compares the served result with the reference result (the lightness is identical in both);
ref_vs_truth and served_vs_truth compare each with the photo's true colors — the quality each path delivers.
"""
import sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import parser, report, timeit


def reference(G, img):
    "The plain path: fp32 eager on the full photo, contiguous, no_grad."
    import numpy as np, torch
    from colorful_world.core import image_to_tensor, lightness, pair_to_rgb, tensor_to_image
    from colorful_world.unet import predict_any_size
    with torch.no_grad():
        L = lightness(image_to_tensor(img)[None])
        out = predict_any_size(G.module, L)
        return np.asarray(tensor_to_image(pair_to_rgb(L, out, G.config.space)[0]))


def photo(size: int):
    "A real photo (Chelsea the cat, from scikit-image) resized to `size`²."
    from PIL import Image
    from colorful_world.core import open_image
    from colorful_world.sources import demo_images
    return open_image(next(p for p in demo_images() if p.stem == 'chelsea')).resize((size, size), Image.Resampling.LANCZOS)


def main():
    ap = parser(__doc__.split('\n')[0])
    ap.add_argument('--sizes', type=int, nargs='*', default=[256, 512])
    ap.add_argument('--runs', type=int, default=20)
    ap.add_argument('--models', nargs='*', choices=['unet_256', 'cpu_demo'], default=['unet_256', 'cpu_demo'],
                    help='which models to time (each compiles once in int8)')
    args = ap.parse_args()
    import numpy as np, torch
    from skimage.metrics import peak_signal_noise_ratio as psnr
    from colorful_world.colorizer import Colorizer, read_generator
    from colorful_world.model import LoadedGenerator, ModelConfig, build_generator
    torch.manual_seed(0)
    unet256 = LoadedGenerator(build_generator(ModelConfig()).eval(), ModelConfig(), name='unet_256')  # pix2pix's
    models = {'pix2pix unet_256 (54.4M params)': unet256, 'cpu_demo, shipped (0.65M params)': read_generator()}
    models = {k: G for (k, G), key in zip(models.items(), ['unet_256', 'cpu_demo']) if key in args.models}
    rows = []
    for name, G in models.items():
        variants = {'mirror pass (default)': Colorizer(G), 'flip=False': Colorizer(G, flip=False),
                    'int8, mirror pass': Colorizer(G, int8=True)}
        for size in args.sizes:
            img = photo(size)
            G.module.to(memory_format=torch.contiguous_format)
            ref = timeit(lambda: reference(G, img), n=args.runs)
            ref_out, truth = reference(G, img), np.asarray(img)
            for variant, served in variants.items():
                G.module.to(memory_format=torch.channels_last if served.channels_last else torch.contiguous_format)
                t = time.perf_counter()
                served(img)  # the first call: int8 compiles here, once per input shape
                setup = time.perf_counter() - t
                srv = timeit(lambda: served(img), n=args.runs)
                srv_out = np.asarray(served(img))
                rows.append(dict(model=name, photo=f'{size}²', variant=variant, setup_s=setup,
                                 ref_p50_ms=ref['p50'], ref_p95_ms=ref['p95'], served_p50_ms=srv['p50'],
                                 served_p95_ms=srv['p95'], speedup=ref['p50'] / srv['p50'],
                                 served_vs_ref_db=psnr(ref_out, srv_out, data_range=255),
                                 ref_vs_truth_db=psnr(truth, ref_out, data_range=255),
                                 served_vs_truth_db=psnr(truth, srv_out, data_range=255)))
    report(f'colorizing one photo on the CPU ({torch.get_num_threads()} threads; served path: {served!r})', rows, args)


if __name__ == '__main__': main()
