"""Structural expectations on Reset and Step responses, shared by every path (unary, batched,
streaming): the per-copy array layout of the contract."""
from typing import Optional, Sequence

from .client import box_size, copy_rows
from .harness import expect, expect_equal, finite


def expect_agents_in_spec_order(spec, agents, what: str) -> None:
    expect_equal([a.agent for a in agents], [a.name for a in spec.agents], f"{what}: agent names in spec order")


def expect_in_box(values: Sequence[float], box, copies: int, what: str) -> None:
    size = box_size(box)
    expect_equal(len(values), size * copies, f"{what}: length (num_envs * element count)")
    for copy in range(copies):
        for i, v in enumerate(copy_rows(values, size, copy)):
            expect(box.low[i] <= v <= box.high[i],
                   f"{what}: copy {copy} element {i} = {v} lies outside its Box [{box.low[i]}, {box.high[i]}]")


def expect_info_well_formed(spec, info, copies: int, what: str) -> None:
    for key, array in info.items():
        expect(key in spec.info_keys, f"{what}.info key {key!r} is not declared in EnvSpec.info_keys "
                                      f"{sorted(spec.info_keys)}")
        expect_equal(len(array.values), copies, f"{what}.info[{key!r}] length (one value per copy)")


def expect_reset_well_formed(spec, response, copies: int) -> None:
    expect_agents_in_spec_order(spec, response.agents, "ResetResponse.agents")
    for agent_spec, agent in zip(spec.agents, response.agents):
        expect_in_box(agent.observation, agent_spec.observation_space, copies, f"Reset {agent.agent}.observation")
        expect(len(agent.reward) == 0 and len(agent.reward_gradient) == 0,
               f"Reset {agent.agent}: reward and reward_gradient must be empty")
    expect_in_box(response.state, spec.state_space, copies, "ResetResponse.state")
    expect_info_well_formed(spec, response.info, copies, "ResetResponse")


def expect_step_well_formed(spec, response, copies: int, reward_gradient: bool,
                            episode_steps: Optional[Sequence[int]] = None) -> None:
    """Layout of a StepResponse; `episode_steps`, when given, is what each copy must report."""
    expect_agents_in_spec_order(spec, response.agents, "StepResponse.agents")
    for agent_spec, agent in zip(spec.agents, response.agents):
        expect_in_box(agent.observation, agent_spec.observation_space, copies, f"Step {agent.agent}.observation")
        expect_equal(len(agent.reward), copies, f"Step {agent.agent}.reward length (num_envs)")
        expect(finite(agent.reward), f"Step {agent.agent}.reward is not finite: {list(agent.reward)}")
        gradient_size = box_size(agent_spec.action_space) * copies if reward_gradient else 0
        expect_equal(len(agent.reward_gradient), gradient_size,
                     f"Step {agent.agent}.reward_gradient length "
                     f"({'num_envs * action size, asked for' if reward_gradient else 'empty, not asked for'})")
        expect(finite(agent.reward_gradient), f"Step {agent.agent}.reward_gradient is not finite")
    expect_in_box(response.state, spec.state_space, copies, "StepResponse.state")
    expect_equal(len(response.terminated), copies, "StepResponse.terminated length (num_envs)")
    expect_equal(len(response.truncated), copies, "StepResponse.truncated length (num_envs)")
    expect_equal(len(response.episode_steps), copies, "StepResponse.episode_steps length (num_envs)")
    expect_info_well_formed(spec, response.info, copies, "StepResponse")
    for copy, steps in enumerate(response.episode_steps):
        expect(steps <= spec.max_episode_steps,
               f"copy {copy} reports episode_steps {steps} > max_episode_steps {spec.max_episode_steps}")
    if episode_steps is not None:
        expect_equal(list(response.episode_steps), list(episode_steps), "StepResponse.episode_steps")


def episode_ended(response, copy: int = 0) -> bool:
    return response.terminated[copy] or response.truncated[copy]
