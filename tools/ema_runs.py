"""The EMA rows of 06_evaluation's *Vivid or right* table: G's weights averaged over the last steps of a run.

The shipped model's recipe (`cpu_demo`, 3 crops of each of the corpus' 325 training photos per epoch, 30 epochs),
trained with the library's `train`; a callback keeps an exponential moving average of G's weights and buffers (batch
norm's running statistics included) for each `--decays` value, updated after every step. At the end the run's last
weights and each average are saved as half-precision generators, as the shipped model is, and evaluated as 06 does
(`colorful-world evaluate --data photos --split valid --full-res`: the 47 held-out photos at up to 1024 px, through
`Colorizer`):

    python tools/ema_runs.py --seed 7

About 10 minutes on one core of a 2-core Xeon for the run, then 1–2 minutes per model evaluated; the corpus must be
fetched first (`colorful-world data --data photos --fetch`).
"""
import argparse, copy, time
from pathlib import Path
import torch
from colorful_world.callbacks import Callback
from colorful_world.config import preset
from colorful_world.evaluation import evaluate
from colorful_world.model import save_checkpoint
from colorful_world.colorizer import Colorizer
from colorful_world.training import train


class EMAs(Callback):
    "Exponential moving averages of G's state (weights and buffers), one per decay, updated after each step."
    order = 25

    def __init__(self, decays): self.decays = decays

    def before_fit(self, run):
        self.avgs = {d: {k: v.detach().clone() for k, v in run.G.state_dict().items()} for d in self.decays}

    def after_batch(self, run):
        state = run.G.state_dict()
        with torch.no_grad():
            for d, avg in self.avgs.items():
                for k, v in state.items():
                    if v.is_floating_point(): avg[k].lerp_(v, 1 - d)
                    else: avg[k].copy_(v)  # counters


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--decays', type=float, nargs='+', default=[0.995, 0.999])
    ap.add_argument('--out', default='runs/ema', help='folder for the run and the generators')
    args = ap.parse_args()
    torch.set_num_threads(1)
    out, t = Path(args.out)/f'seed{args.seed}', time.time()
    emas = EMAs(args.decays)
    run = train(preset('cpu_demo', data_dir='photos', out_dir=str(out), repeat=3, seed=args.seed), progress=False,
                cbs=[emas])
    print(f'trained in {time.time() - t:.0f} s', flush=True)
    models = {'last weights': run.G.state_dict(), **{f'EMA {d}': avg for d, avg in emas.avgs.items()}}
    for name, state in models.items():
        G = copy.deepcopy(run.G).eval()
        G.load_state_dict(state)
        path = out/f"G_{name.replace(' ', '_')}.safetensors"
        save_checkpoint(path, run.cfg, G.half())
        res = evaluate(Colorizer(path), 'photos', split='valid', max_side=1024)
        m, n = res['model'], res['n_photos']
        print(f"seed {args.seed}, {name}: dE2000 {m['delta_e']:.2f} (gray {res['gray']['delta_e']:.2f}), beats gray "
              f"on {res['win_rate_vs_gray']['delta_e']:.0%} of {n} photos by dE2000, chroma {m['chroma_ratio']:.0%} "
              "of the truth's", flush=True)


if __name__ == '__main__': main()
