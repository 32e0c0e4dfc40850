"Run under torchrun by test_training.py: train a tiny config with DDP, then compare the weights of every rank."
import os, sys, hashlib, json
from pathlib import Path
import torch, torch.distributed as dist
from colorful_world.training import preset, train

out = Path(sys.argv[1])
rank = int(os.environ['RANK'])
# each rank gets its own out_dir, so the test can see which ranks wrote files
cfg = preset('cpu_demo', image_size=64, n_down=6, ngf=8, ndf=8, repeat=2, batch_size=2, n_epochs=2, n_epochs_decay=1, save_frequency=1,
             out_dir=str(out/f'rank{rank}'), device='cpu')
run = train(cfg, progress=False)
digest = hashlib.sha256()
# parameters: batch-norm running statistics are each rank's own (DDP broadcasts them from rank 0 before each forward)
for t in [*run.G.parameters(), *run.D.parameters()]: digest.update(t.detach().cpu().float().numpy().tobytes())
digests = [None] * dist.get_world_size()
dist.all_gather_object(digests, (rank, digest.hexdigest(), run.step, len(run.history)))
if rank == 0: (out/'digests.json').write_text(json.dumps(digests))
dist.barrier()
dist.destroy_process_group()
