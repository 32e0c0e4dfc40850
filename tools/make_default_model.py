"""Train the model that ships with colorful_world: `colorful_world/models/cpu_demo.safetensors`.

It is the `cpu_demo` preset (128², n_down=7, ngf=8, 0.65M parameters) trained by `colorful-world demo` on the
photos embedded in scikit-image and matplotlib (about a minute on two CPU cores), saved generator-only with
float16 weights (loading casts them back to float32). Run from the repository root:

    python tools/make_default_model.py [--work /tmp/default_run]
"""
import argparse, time
from pathlib import Path
from colorful_world.training import demo, load_generator, save_checkpoint

DEST = Path(__file__).resolve().parents[1]/'colorful_world'/'models'/'cpu_demo.safetensors'

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--work', default='/tmp/default_run', help='folder for the full training run')
    ap.add_argument('--dest', default=str(DEST), help='where to write the generator-only checkpoint')
    args = ap.parse_args()
    t = time.time()
    paths = demo(args.work, progress=False)
    G = load_generator(paths['checkpoint'])
    save_checkpoint(args.dest, G.config, G.half())  # generator only, float16 weights: a few MB
    print(f'trained in {time.time() - t:.0f} s; wrote {args.dest} ({Path(args.dest).stat().st_size / 1e6:.1f} MB)')

if __name__ == '__main__': main()
