"""Two gloo processes train a few steps and end with identical weights (DDP works on CPU)."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.distributed as dist  # noqa: E402
import torch.multiprocessing as mp  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _worker(rank: int, world: int, port: int, out: str) -> None:
    from torch.utils.data import DataLoader, DistributedSampler

    from ecgviewer.models.networks import build_network, network_config
    from trainer.classifier import train_one_epoch
    from trainer.data import Augment, EcgDataset

    torch.set_num_threads(1)
    dist.init_process_group(
        "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world
    )
    torch.manual_seed(0)  # same initial weights; DDP also broadcasts rank 0's
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 12, 1000)).astype(np.float32)
    y = (rng.uniform(size=(32, 11)) < 0.3).astype(np.float32)
    data = EcgDataset(x, y, Augment(), seed=0)
    sampler = DistributedSampler(data, world, rank, shuffle=True, seed=0)
    loader = DataLoader(data, 4, sampler=sampler, drop_last=True)
    net = build_network(network_config("code", stem_filters=8, filters=[8, 8, 8, 8]), 12, 1000, 11)
    torch.manual_seed(100 + rank)  # different dropout on each rank: gradients must be averaged
    ddp = torch.nn.parallel.DistributedDataParallel(net)
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1)
    train_one_epoch(ddp, loader, opt, None, torch.device("cpu"), 0, show_progress=False)
    torch.save({k: v.clone() for k, v in net.state_dict().items()}, f"{out}/rank{rank}.pt")
    dist.barrier()  # no rank tears gloo down while another still talks to it
    dist.destroy_process_group()


def test_two_processes_end_with_identical_weights(tmp_path: Path) -> None:
    mp.spawn(_worker, args=(2, _free_port(), str(tmp_path)), nprocs=2, join=True)
    a = torch.load(tmp_path / "rank0.pt", weights_only=True)
    b = torch.load(tmp_path / "rank1.pt", weights_only=True)
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key
    torch.manual_seed(0)
    from ecgviewer.models.networks import build_network, network_config

    init = build_network(network_config("code", stem_filters=8, filters=[8, 8, 8, 8]), 12, 1000, 11)
    assert not torch.equal(init.state_dict()["head.weight"], a["head.weight"])  # it trained
