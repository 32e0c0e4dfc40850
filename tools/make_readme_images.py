"""The pictures on the home page and in the README, made by the package from the demo run.

A before/after grid of the demo's validation photos (gray input | result | truth) and the color-evolution GIF
of its training. Uses an existing run folder (the one `tools/make_default_model.py` trains, so the pictures show
the model that ships), or trains the demo when there is none. Run from the repository root:

    python tools/make_readme_images.py [--run /tmp/default_run]
"""
import argparse
from pathlib import Path
from colorful_world.data import source_split
from colorful_world.training import demo, load_generator, before_after
from colorful_world.evaluation import make_gif

IMAGES = Path(__file__).resolve().parents[1]/'nbs'/'images'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--run', default='/tmp/default_run', help='a `colorful-world demo` run folder (trained if missing)')
    args = ap.parse_args()
    run = Path(args.run)
    if not (run/'models'/'last.safetensors').exists(): demo(run, progress=False)
    G = load_generator(run/'models'/'last.safetensors')
    valid = source_split(G.config.data_dir, G.config.valid_pct, G.config.seed)[1]
    IMAGES.mkdir(parents=True, exist_ok=True)
    before_after(G, valid, G.config).save(IMAGES/'demo_before_after.png')
    make_gif(run, IMAGES/'demo_color_evolution.gif', duration=250, max_frames=16)
    for f in ('demo_before_after.png', 'demo_color_evolution.gif'): print(f'wrote {IMAGES/f} ({(IMAGES/f).stat().st_size // 1024} KB)')


if __name__ == '__main__': main()
