#!/usr/bin/python3
"""The seed's method (agent-client's reward-gradient trainer on DistributedOptimization-v1),
written plainly as batched PyTorch in one process: the reference that scripts/bench-training.sh
measures `train` against.

Same as the default `train`: 4 agents, each a 20-64-64-5 ReLU network over the shared 20
parameters, stacked so one batched matmul serves all four; PyTorch's default Linear initialisation;
Adam (0.9, 0.999, 1e-8), lr 5e-3 decaying linearly per round; 1000 rounds of 5 steps over 192
copies, each step from a fresh uniform start (training horizon 1, same-step autoreset); the
environment's reward -|5 - sum| and its gradient -sign(sum - 5) where the clip to [-1, 1] is
inactive; each agent's loss -mean_copies(sum_j g_ij * a_ij), one Adam step per batched step.
The final evaluation runs the greedy agents on 1000 fresh resets for up to 50 steps.

Also evaluates one-step success on 1000 fresh resets every --probe-every rounds, to find the wall
time from process start to 99% one-step success. Prints one JSON line of figures.
"""
import time

PROCESS_START = time.time()  # before importing torch: the start-up is part of the wall time

import argparse
import json
import math
import resource

import torch

TARGET = 5.0
SUCCESS = 0.1
PARAM_DIM = 20
AGENTS = 4
BLOCK = PARAM_DIM // AGENTS
HIDDEN = 64
MAX_STEPS = 50


def linear_init(agents, fan_in, fan_out, generator):
    bound = 1.0 / math.sqrt(fan_in)
    weight = (torch.rand(agents, fan_in, fan_out, generator=generator) * 2 - 1) * bound
    bias = (torch.rand(agents, 1, fan_out, generator=generator) * 2 - 1) * bound
    return weight.requires_grad_(), bias.requires_grad_()


class Team:
    """Every agent's network, stacked: one baddbmm per layer serves all of them."""

    def __init__(self, generator):
        sizes = [PARAM_DIM, HIDDEN, HIDDEN, BLOCK]
        self.layers = [linear_init(AGENTS, sizes[l], sizes[l + 1], generator) for l in range(3)]

    def parameters(self):
        return [p for layer in self.layers for p in layer]

    def act(self, params):
        """Actions [copies, PARAM_DIM] (agent i's block at [i*5, i*5+5)) for parameters [copies, PARAM_DIM]."""
        hidden = params.unsqueeze(0).expand(AGENTS, -1, -1)
        for l, (weight, bias) in enumerate(self.layers):
            hidden = torch.baddbmm(bias, hidden, weight)
            if l < 2:
                hidden = torch.relu(hidden)
        return hidden.permute(1, 0, 2).reshape(-1, PARAM_DIM)


def env_step(params, actions):
    """The seed env's step: new parameters, distance, reward gradient (no gradient flows into the env)."""
    moved = params + actions
    clipped = moved.clamp(-1.0, 1.0)
    total = clipped.sum(dim=1, keepdim=True)
    slope = -torch.sign(total - TARGET)
    gradient = slope * (clipped == moved).float()
    return clipped, (TARGET - total).abs().squeeze(1), gradient


@torch.no_grad()
def evaluate(team, episodes, generator, max_steps):
    """One-step success rate and mean steps to solve of the greedy agents on fresh resets."""
    params = torch.rand(episodes, PARAM_DIM, generator=generator) * 2 - 1
    solved_at = torch.zeros(episodes, dtype=torch.long)
    for step in range(1, max_steps + 1):
        params, distance, _ = env_step(params, team.act(params))
        newly = (distance < SUCCESS) & (solved_at == 0)
        solved_at[newly] = step
        if bool((solved_at > 0).all()):
            break
    reached = solved_at[solved_at > 0]
    return {"one_step_success": float((solved_at == 1).float().mean()),
            "success": float((solved_at > 0).float().mean()),
            "mean_steps_to_solve": float(reached.float().mean()) if len(reached) else None}


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=192, help="environment copies stepped together")
    parser.add_argument("--episodes", type=int, default=1000, help="training rounds")
    parser.add_argument("--steps", type=int, default=5, help="batched steps (Adam updates) per round")
    parser.add_argument("--lr", type=float, default=5e-3, help="Adam learning rate at the first round")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--probe-every", type=int, default=10,
                        help="rounds between one-step success probes on 1000 fresh resets (0: none)")
    parser.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    parser.add_argument("--flush-denormal", action="store_true",
                        help="flush subnormal floats to zero (torch.set_flush_denormal); off in the plain "
                             "reference. Adam's first moments of dead ReLU units decay into the subnormals and "
                             "stay there, where every CPU operation on them takes a slow path; the Java trainer "
                             "flushes them, and this shows what the same does for the reference")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    if args.flush_denormal and not torch.set_flush_denormal(True):
        parser.error("--flush-denormal: this CPU cannot flush subnormals")

    generator = torch.Generator().manual_seed(args.seed)
    probe_generator = torch.Generator().manual_seed(args.seed + 1)
    team = Team(generator)
    optimizer = torch.optim.Adam(team.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)

    probe_seconds = 0.0
    reached_99 = None
    train_start = time.time()
    cpu_start = cpu_seconds()
    for episode in range(args.episodes):
        for group in optimizer.param_groups:
            group["lr"] = args.lr * (1.0 - episode / args.episodes)
        for _ in range(args.steps):
            params = torch.rand(args.copies, PARAM_DIM, generator=generator) * 2 - 1
            actions = team.act(params)
            _, _, gradient = env_step(params, actions.detach())
            loss = -(actions * gradient).sum() / args.copies  # sum over agents of each one's mean over copies
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        if args.probe_every and reached_99 is None and (episode + 1) % args.probe_every == 0:
            before = time.time()
            if evaluate(team, 1000, probe_generator, 1)["one_step_success"] >= 0.99:
                reached_99 = {"wall_seconds_from_process_start": before - PROCESS_START,
                              "env_steps": (episode + 1) * args.steps * args.copies}
            probe_seconds += time.time() - before
    train_seconds = time.time() - train_start - probe_seconds
    train_cpu = cpu_seconds() - cpu_start
    env_steps = args.episodes * args.steps * args.copies

    final = evaluate(team, 1000, torch.Generator().manual_seed(1_000_000_000), MAX_STEPS)
    print(json.dumps({
        "copies": args.copies,
        "threads": torch.get_num_threads(),
        "flush_denormal": args.flush_denormal,
        "torch": torch.__version__,
        "env_steps": env_steps,
        "train_seconds": train_seconds,
        "env_steps_per_second": env_steps / train_seconds,
        "train_cpu_seconds_per_env_step": train_cpu / env_steps,
        "adam_updates_per_second": args.episodes * args.steps / train_seconds,
        "reached_99_one_step_success": reached_99,
        "evaluation": final,
        "peak_rss_mib": peak_rss_mib(),
        "wall_seconds": time.time() - PROCESS_START,
    }))


if __name__ == "__main__":
    main()
