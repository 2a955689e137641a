#!/usr/bin/python3
"""The model-free trainers' updates (agent-client's mappo, matd3 and coma on
DistributedOptimization-v1 with bench/model-free.yaml's settings), written plainly in PyTorch in one
process: the reference that scripts/bench-updates.sh measures `agent-client bench-updates` against.

Shapes as `train` has them on the seed: 4 agents, each a 20-64-64-5 ReLU actor over the shared 20
parameters (stacked: one baddbmm per layer serves all four, as in seed_reward_gradient.py), state
20, joint action 20; PyTorch's default Linear initialisation; torch.optim.Adam (0.9, 0.999, 1e-8).
Fixed random batches of realistic values (parameters in [-1, 1], rewards -|5 - sum|, actions and
log-probabilities drawn from the policies): the values do not change the speed.

What one update is (Java: org.marlopt.client.algo.UpdateBenchmark):
- mappo: rollout of 192 copies x 5 steps = 960 rows, each round's learning = GAE (lambda 0.95) and
  the value normaliser's update, then 10 epochs x 4 minibatches of 240 rows; an update is one
  minibatch step of the Gaussian actors (clipped surrogate 0.2 of standardised advantages; the
  entropy bonus's coefficient is 0, so neither side computes it; per-agent gradient-norm clip 0.5,
  Adam lr 2e-3) and one of the critic (20-64-64-4, squared error to normalised returns, clip 0.5,
  Adam lr 1e-3). updates/s counts both as one.
- matd3: replay minibatch of 256 of 960 transitions; an update is one step of the twin critics
  (40-256-256-4 x 2) towards r + gamma (1 - terminated) min(Q1', Q2') at the target actors' actions
  plus noise 0.2 clipped to 0.5 (gamma 0, computed all the same), Adam lr 2e-3, and every second
  one also the actors' step on -Q1_i(s, a_-i, mu_i(o_i)) (Adam lr 2e-3; per-agent gradient norms
  computed, as the trainer reports them) and Polyak (tau 0.005) of target actors and critics.
- coma: each round's learning = TD(0.8) returns from the target critic (40-128-128-4) and the value
  normaliser's update, 4 critic epochs x 4 minibatches of 240 rows (squared error, clip 0.5, Adam
  lr 1e-3, Polyak tau 0.05 of the target after each), counterfactual advantages from K = 16 samples
  of each agent's policy (4 x 16 x 960 rows through the critic), then 4 actor epochs x 4 minibatches
  as MAPPO's actor step; an update is one critic step and one actor step (16 of each a round).

Runs each algorithm's updates for --warmup-seconds, then --seconds timed, on one intra-op thread
(the agent client runs PyTorch on one thread too; OpenBLAS keeps its own pool, so
scripts/bench-updates.sh sets OPENBLAS_NUM_THREADS=1); prints one JSON line of updates per second, per
CPU second of the process and in the fastest 1 s window.
"""
import argparse
import json
import math
import time

import torch

AGENTS = 4
OBS = 20
ACT = 5
STATE = 20
JOINT = AGENTS * ACT
HIDDEN = 64
COPIES = 192
STEPS = 5
ROWS = COPIES * STEPS
LOG_SQRT_TWO_PI = 0.5 * math.log(2 * math.pi)


def linear_init(stack, fan_in, fan_out, generator):
    bound = 1.0 / math.sqrt(fan_in)
    weight = (torch.rand(stack, fan_in, fan_out, generator=generator) * 2 - 1) * bound
    bias = (torch.rand(stack, 1, fan_out, generator=generator) * 2 - 1) * bound
    return weight.requires_grad_(), bias.requires_grad_()


def mlp(stack, sizes, generator):
    """Stacked MLPs: per layer weight [stack, in, out] and bias [stack, 1, out]."""
    return [linear_init(stack, sizes[l], sizes[l + 1], generator) for l in range(len(sizes) - 1)]


def forward(layers, inputs):
    """[stack, rows, out] from [stack or 1, rows, in]; ReLU between layers."""
    hidden = inputs
    for l, (weight, bias) in enumerate(layers):
        hidden = torch.baddbmm(bias, hidden.expand(weight.shape[0], -1, -1), weight)
        if l < len(layers) - 1:
            hidden = torch.relu(hidden)
    return hidden


def parameters(layers):
    return [p for layer in layers for p in layer]


def copy_of(layers):
    """A target network: detached copies."""
    return [(w.detach().clone(), b.detach().clone()) for w, b in layers]


def polyak(target, online, tau):
    with torch.no_grad():
        for t, o in zip(parameters(target), parameters(online)):
            t.mul_(1 - tau).add_(o, alpha=tau)


def adam(params, lr):
    return torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)


def clip_per_agent(params, max_norm):
    """Each agent's gradient (its slice of every parameter) scaled to an L2 norm of at most max_norm; the norms."""
    norms = torch.stack([p.grad.square().flatten(1).sum(1) for p in params]).sum(0).sqrt()
    scale = (max_norm / (norms + 1e-6)).clamp(max=1.0)
    for p in params:
        p.grad.mul_(scale.view(-1, *([1] * (p.dim() - 1))))
    return norms


def joint(per_agent):
    """[agents, rows, ACT] -> [rows, JOINT], agent after agent."""
    return per_agent.transpose(0, 1).reshape(-1, JOINT)


def own_slots():
    """[agents, 1, JOINT]: 1 on agent i's slot of the joint action in row i."""
    slots = torch.zeros(AGENTS, 1, JOINT)
    for agent in range(AGENTS):
        slots[agent, 0, agent * ACT:(agent + 1) * ACT] = 1
    return slots


class ValueNorm:
    """MAPPO's debiased running mean and variance of the return targets, per agent."""

    def __init__(self, beta=0.99):
        self.beta = beta
        self.mean = torch.zeros(AGENTS, dtype=torch.float64)
        self.mean_square = torch.zeros(AGENTS, dtype=torch.float64)
        self.debiasing = 0.0

    def update(self, targets):
        targets = targets.double()
        self.mean = self.beta * self.mean + (1 - self.beta) * targets.mean(0)
        self.mean_square = self.beta * self.mean_square + (1 - self.beta) * targets.square().mean(0)
        self.debiasing = self.beta * self.debiasing + (1 - self.beta)

    def stats(self):
        if self.debiasing == 0:
            return torch.zeros(AGENTS), torch.ones(AGENTS)
        mean = self.mean / self.debiasing
        std = (self.mean_square / self.debiasing - mean.square()).clamp(min=1e-2).sqrt()
        return mean.float(), std.float()

    def normalize(self, values):
        mean, std = self.stats()
        return (values - mean) / std

    def denormalize(self, values):
        mean, std = self.stats()
        return values * std + mean


class GaussianActors:
    """Every agent's Gaussian policy: the stacked actor as the mean, a learned state-independent log-std."""

    def __init__(self, generator, initial_std=0.3):
        self.layers = mlp(AGENTS, [OBS, HIDDEN, HIDDEN, ACT], generator)
        self.log_std = torch.full((AGENTS, 1, ACT), math.log(initial_std), requires_grad=True)
        self.params = parameters(self.layers) + [self.log_std]
        self.optimizer = adam(self.params, 2e-3)

    def mean(self, observations):
        return forward(self.layers, observations)

    def sample(self, mean):
        return mean.detach() + torch.randn_like(mean) * self.log_std.detach().exp()

    def log_prob(self, mean, raw):
        z = (raw - mean) / self.log_std.exp()
        return (-0.5 * z.square() - self.log_std - LOG_SQRT_TWO_PI).sum(2)

    def entropy(self):
        return (self.log_std + 0.5 + LOG_SQRT_TWO_PI).sum((1, 2))

    def step(self, observations, raw, old_log_probs, advantages, clip=0.2, entropy_coef=0.0, max_norm=0.5):
        """One Adam step on the clipped surrogate of standardised advantages [agents, rows] minus the entropy bonus."""
        log_probs = self.log_prob(self.mean(observations), raw)
        centred = advantages - advantages.mean(1, keepdim=True)
        advantages = centred / (centred.square().mean(1, keepdim=True).sqrt() + 1e-8)
        ratio = (log_probs - old_log_probs).exp()
        surrogate = -torch.min(ratio * advantages, ratio.clamp(1 - clip, 1 + clip) * advantages).mean(1)
        loss = surrogate - entropy_coef * self.entropy() if entropy_coef else surrogate  # as the trainers
        self.optimizer.zero_grad(set_to_none=True)
        loss.sum().backward()
        norms = clip_per_agent(self.params, max_norm)
        self.optimizer.step()
        return loss.detach(), norms


def critic_step(layers, optimizer, inputs, targets, max_norm=0.5):
    """One Adam step of a single critic on the squared error to targets [rows, agents], its gradient clipped."""
    predicted = forward(layers, inputs.unsqueeze(0)).squeeze(0)
    loss = (predicted - targets).square().mean()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(parameters(layers), max_norm)
    optimizer.step()


def advantages_gae(rewards, values, next_values, terminated, ended, gamma, lam):
    """GAE over [STEPS, COPIES, agents] (rows are step-major), never across an episode's end."""
    shape = (STEPS, COPIES, AGENTS)
    rewards, values, next_values = rewards.view(shape), values.view(shape), next_values.view(shape)
    terminated, ended = terminated.view(STEPS, COPIES, 1), ended.view(STEPS, COPIES, 1)
    advantages = torch.zeros(shape)
    later = torch.zeros(COPIES, AGENTS)
    for t in reversed(range(STEPS)):
        delta = rewards[t] + gamma * (1 - terminated[t]) * next_values[t] - values[t]
        later = delta + gamma * lam * (1 - ended[t]) * later
        advantages[t] = later
    return advantages.view(ROWS, AGENTS)


def rollout(actors, generator, horizon):
    """A rollout's tensors, rows step-major, sampled from the actors on uniform parameters."""
    states = torch.rand(ROWS, STATE, generator=generator) * 2 - 1
    next_states = torch.rand(ROWS, STATE, generator=generator) * 2 - 1
    observations = states.unsqueeze(0).expand(AGENTS, -1, -1).contiguous()
    with torch.no_grad():
        mean = actors.mean(observations)
        raw = actors.sample(mean)
        log_probs = actors.log_prob(mean, raw)
    moved = (states + joint(raw)).clamp(-1, 1)
    rewards = -(5 - moved.sum(1, keepdim=True)).abs().expand(-1, AGENTS).contiguous()
    step = torch.arange(ROWS) // COPIES
    return {"observations": observations, "states": states, "raw": raw, "log_probs": log_probs,
            "joint": joint(raw), "rewards": rewards, "terminated": torch.zeros(ROWS),
            "ended": ((step + 1) % horizon == 0).float(), "next_states": next_states,
            "next_observations": next_states.unsqueeze(0).expand(AGENTS, -1, -1).contiguous()}


class Mappo:
    EPOCHS, MINIBATCHES = 10, 4

    def __init__(self, generator):
        self.actors = GaussianActors(generator)
        self.critic = mlp(1, [STATE, 64, 64, AGENTS], generator)
        self.critic_optimizer = adam(parameters(self.critic), 1e-3)
        self.value_norm = ValueNorm()
        self.data = rollout(self.actors, generator, horizon=5)  # bench/model-free.yaml: trainHorizon 5

    def values(self, states):
        return self.value_norm.denormalize(forward(self.critic, states.unsqueeze(0)).squeeze(0))

    def learn(self):
        """A round's learning: GAE, then EPOCHS x MINIBATCHES updates; returns how many."""
        d = self.data
        with torch.no_grad():
            values = self.values(d["states"])
            advantages = advantages_gae(d["rewards"], values, self.values(d["next_states"]), d["terminated"],
                                        d["ended"], gamma=0.0, lam=0.95)
            returns = advantages + values
            self.value_norm.update(returns)
            advantages = advantages.t()
        for _ in range(self.EPOCHS):
            for rows in torch.randperm(ROWS).chunk(self.MINIBATCHES):
                self.actors.step(d["observations"][:, rows], d["raw"][:, rows], d["log_probs"][:, rows],
                                 advantages[:, rows])
                critic_step(self.critic, self.critic_optimizer, d["states"][rows],
                            self.value_norm.normalize(returns[rows]))
        return self.EPOCHS * self.MINIBATCHES


class Matd3:
    BATCH, CRITIC_HIDDEN, POLICY_DELAY, TAU = 256, 256, 2, 0.005

    def __init__(self, generator):
        self.actor = mlp(AGENTS, [OBS, HIDDEN, HIDDEN, ACT], generator)
        self.critic = mlp(2, [STATE + JOINT, self.CRITIC_HIDDEN, self.CRITIC_HIDDEN, AGENTS], generator)
        self.target_actor, self.target_critic = copy_of(self.actor), copy_of(self.critic)
        self.actor_optimizer = adam(parameters(self.actor), 2e-3)
        self.critic_optimizer = adam(parameters(self.critic), 2e-3)
        self.low = torch.full((AGENTS, 1, ACT), -math.inf)  # the seed's actions are unbounded
        self.high = torch.full((AGENTS, 1, ACT), math.inf)
        self.eye = torch.eye(AGENTS).unsqueeze(1)
        self.mine = own_slots()
        self.updates = 0
        # the replay buffer after train's first round: 5 steps x 192 copies
        states = torch.rand(ROWS, STATE, generator=generator) * 2 - 1
        actions = torch.randn(ROWS, JOINT, generator=generator) * 0.3
        moved = (states + actions).clamp(-1, 1)
        self.buffer = {"observations": states.unsqueeze(1).expand(-1, AGENTS, -1).contiguous(),
                       "actions": actions, "states": states,
                       "rewards": -(5 - moved.sum(1, keepdim=True)).abs().expand(-1, AGENTS).contiguous(),
                       "terminated": torch.zeros(ROWS), "next_states": moved,
                       "next_observations": moved.unsqueeze(1).expand(-1, AGENTS, -1).contiguous()}

    def learn(self):
        """One update; returns 1."""
        picked = torch.randint(ROWS, (self.BATCH,))
        b = {key: value[picked] for key, value in self.buffer.items()}
        observations = b["observations"].transpose(0, 1)
        with torch.no_grad():
            noise = (torch.randn(AGENTS, self.BATCH, ACT) * 0.2).clamp(-0.5, 0.5)
            next_actions = (forward(self.target_actor, b["next_observations"].transpose(0, 1)) + noise)
            next_actions = torch.max(torch.min(next_actions, self.high), self.low)
            next_q = forward(self.target_critic, torch.cat([b["next_states"], joint(next_actions)], 1).unsqueeze(0))
            y = b["rewards"] + 0.0 * (1 - b["terminated"]).unsqueeze(1) * torch.min(next_q[0], next_q[1])
        q = forward(self.critic, torch.cat([b["states"], b["actions"]], 1).unsqueeze(0))
        loss = (q - y).square().mean() * 2
        self.critic_optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.critic_optimizer.step()
        self.updates += 1
        if self.updates % self.POLICY_DELAY == 0:
            substituted = b["actions"] * (1 - self.mine) + joint(forward(self.actor, observations)) * self.mine
            states = b["states"].unsqueeze(0).expand(AGENTS, -1, -1)
            inputs = torch.cat([states, substituted], 2).reshape(1, AGENTS * self.BATCH, -1)
            frozen = [(w[:1].detach(), bias[:1].detach()) for w, bias in self.critic]
            q1 = forward(frozen, inputs).reshape(AGENTS, self.BATCH, AGENTS)
            losses = -(q1 * self.eye).sum(2).mean(1)
            self.actor_optimizer.zero_grad(set_to_none=True)
            losses.sum().backward()
            # each agent's gradient norm, as the trainer reports it
            self.gradient_norms = torch.stack([p.grad.square().flatten(1).sum(1)
                                               for p in parameters(self.actor)]).sum(0).sqrt()
            self.actor_optimizer.step()
            polyak(self.target_actor, self.actor, self.TAU)
            polyak(self.target_critic, self.critic, self.TAU)
        return 1


class Coma:
    CRITIC_EPOCHS, EPOCHS, MINIBATCHES, SAMPLES, TAU = 4, 4, 4, 16, 0.05

    def __init__(self, generator):
        self.actors = GaussianActors(generator, initial_std=1.0)
        self.critic = mlp(1, [STATE + JOINT, 128, 128, AGENTS], generator)
        self.target_critic = copy_of(self.critic)
        self.critic_optimizer = adam(parameters(self.critic), 1e-3)
        self.value_norm = ValueNorm()
        self.mine = own_slots()
        self.data = rollout(self.actors, generator, horizon=1)  # the seed's 1-step training episodes

    def q(self, layers, inputs):
        return self.value_norm.denormalize(forward(layers, inputs.unsqueeze(0)).squeeze(0))

    def learn(self):
        """A round's learning: TD(lambda) returns, critic passes, counterfactual advantages, actor passes."""
        d = self.data
        critic_inputs = torch.cat([d["states"], d["joint"]], 1)
        with torch.no_grad():
            taken = self.q(self.target_critic, critic_inputs)
            drawn = self.actors.sample(self.actors.mean(d["next_observations"]))
            next_q = self.q(self.target_critic, torch.cat([d["next_states"], joint(drawn)], 1))
            # bootstrap from the action taken next in the rollout where the episode goes on
            goes_on = (d["ended"][:-COPIES] == 0).unsqueeze(1)
            next_q[:-COPIES] = torch.where(goes_on, taken[COPIES:], next_q[:-COPIES])
            returns = advantages_gae(d["rewards"], taken, next_q, d["terminated"], d["ended"], 0.0, 0.8) + taken
            self.value_norm.update(returns)
        for _ in range(self.CRITIC_EPOCHS):
            for rows in torch.randperm(ROWS).chunk(self.MINIBATCHES):
                critic_step(self.critic, self.critic_optimizer, critic_inputs[rows],
                            self.value_norm.normalize(returns[rows]))
                polyak(self.target_critic, self.critic, self.TAU)
        with torch.no_grad():
            mean = self.actors.mean(d["observations"])
            repeated = mean.unsqueeze(1).expand(-1, self.SAMPLES, -1, -1).reshape(AGENTS, self.SAMPLES * ROWS, ACT)
            drawn = joint(self.actors.sample(repeated))
            actual = critic_inputs[:, STATE:].repeat(self.SAMPLES, 1)
            substituted = actual * (1 - self.mine) + drawn * self.mine
            states = d["states"].repeat(self.SAMPLES, 1).unsqueeze(0).expand(AGENTS, -1, -1)
            inputs = torch.cat([states, substituted], 2).reshape(AGENTS * self.SAMPLES * ROWS, -1)
            counterfactual = self.q(self.critic, inputs).reshape(AGENTS, self.SAMPLES, ROWS, AGENTS)
            baseline = counterfactual.diagonal(dim1=0, dim2=3).mean(0)  # [ROWS, agents]
            advantages = (self.q(self.critic, critic_inputs) - baseline).t()
        for _ in range(self.EPOCHS):
            for rows in torch.randperm(ROWS).chunk(self.MINIBATCHES):
                self.actors.step(d["observations"][:, rows], d["raw"][:, rows], d["log_probs"][:, rows],
                                 advantages[:, rows])
        return self.EPOCHS * self.MINIBATCHES


ALGORITHMS = {"mappo": Mappo, "matd3": Matd3, "coma": Coma}


WINDOW_SECONDS = 1.0  # the timed part is also cut into windows of whole calls lasting at least this long


def rates(learner, warmup_seconds, seconds):
    """Updates of learner.learn() per second, per CPU second of the process and in the fastest window,
    after warmup_seconds untimed (as UpdateBenchmark)."""
    end = time.perf_counter() + warmup_seconds
    while time.perf_counter() < end:
        learner.learn()
    start, cpu_start = time.perf_counter(), time.process_time()
    updates, window_start, window_updates, best = 0, start, 0, 0.0
    while True:
        done = learner.learn()
        updates += done
        window_updates += done
        now = time.perf_counter()
        if now - window_start >= WINDOW_SECONDS:
            best = max(best, window_updates / (now - window_start))
            window_start, window_updates = now, 0
        if now - start >= seconds:
            break
    return {"updates_per_second": updates / (now - start),
            "updates_per_cpu_second": updates / (time.process_time() - cpu_start),
            "best_window_updates_per_second": best or updates / (now - start)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--algos", default="mappo,matd3,coma", help="algorithms, comma-separated")
    parser.add_argument("--warmup-seconds", type=float, default=3.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (the client uses 1)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    figures = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    for name in args.algos.split(","):
        torch.manual_seed(args.seed)
        learner = ALGORITHMS[name](torch.Generator().manual_seed(args.seed))
        figures[name] = rates(learner, args.warmup_seconds, args.seconds)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
