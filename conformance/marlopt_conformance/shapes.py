"""Structural expectations on Reset and Step responses, shared by every path (unary, batched,
streaming): the per-copy array layout of the contract, read from the session's spec (num_envs,
reward_gradient and autoreset mode in force)."""
from typing import Optional, Sequence

from .client import box_size, copy_rows, part
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


def expect_observations_in_box(spec, response, what: str) -> None:
    """Every agent's own observation, the shared observation and the state, each in its Box."""
    copies = spec.options.num_envs
    expect_agents_in_spec_order(spec, response.agents, f"{what}.agents")
    for agent_spec, agent in zip(spec.agents, response.agents):
        expect_in_box(agent.observation, agent_spec.observation_space, copies, f"{what} {agent.agent}.observation")
    expect_in_box(response.shared_observation, spec.shared_observation_space, copies, f"{what}.shared_observation")
    expect_in_box(response.state, spec.state_space, copies, f"{what}.state")


def expect_info_well_formed(spec, info, what: str) -> None:
    """Exactly the declared keys, each with num_envs * its InfoSpec size values; the success key
    0 or 1 and the score key finite."""
    copies = spec.options.num_envs
    sizes = {key.name: key.size for key in spec.info}
    expect_equal(sorted(info.keys()), sorted(sizes), f"{what}.info keys (EnvSpec.info)")
    for key, array in info.items():
        expect_equal(len(array.values), copies * sizes[key],
                     f"{what}.info[{key!r}] length (num_envs * InfoSpec.size {sizes[key]})")
    if spec.success_key:
        values = list(info[spec.success_key].values)
        expect(all(v in (0.0, 1.0) for v in values), f"{what}.info[{spec.success_key!r}] (the success key) "
                                                     f"must be 0 or 1, got {values}")
    if spec.score_key:
        values = list(info[spec.score_key].values)
        expect(finite(values), f"{what}.info[{spec.score_key!r}] (the score key) is not finite: {values}")


def expect_reset_well_formed(spec, response) -> None:
    expect_observations_in_box(spec, response, "ResetResponse")
    for agent in response.agents:
        expect(len(agent.reward) == 0 and len(agent.reward_gradient) == 0 and len(agent.final_observation) == 0,
               f"Reset {agent.agent}: reward, reward_gradient and final_observation must be empty")
    expect_info_well_formed(spec, response.info, "ResetResponse")


def expect_step_well_formed(spec, response, episode_steps: Optional[Sequence[int]] = None) -> None:
    """Layout of a StepResponse; `episode_steps`, when given, is what each copy must report."""
    copies = spec.options.num_envs
    expect_observations_in_box(spec, response, "StepResponse")
    for agent_spec, agent in zip(spec.agents, response.agents):
        expect_equal(len(agent.reward), copies, f"Step {agent.agent}.reward length (num_envs)")
        expect(finite(agent.reward), f"Step {agent.agent}.reward is not finite: {list(agent.reward)}")
        expect_reward_gradient_well_formed(spec, agent_spec, agent)
    expect_equal(len(response.terminated), copies, "StepResponse.terminated length (num_envs)")
    expect_equal(len(response.truncated), copies, "StepResponse.truncated length (num_envs)")
    expect_equal(len(response.episode_steps), copies, "StepResponse.episode_steps length (num_envs)")
    expect_info_well_formed(spec, response.info, "StepResponse")
    for copy, steps in enumerate(response.episode_steps):
        expect(steps <= spec.max_episode_steps,
               f"copy {copy} reports episode_steps {steps} > max_episode_steps {spec.max_episode_steps}")
    if episode_steps is not None:
        expect_equal(list(response.episode_steps), list(episode_steps), "StepResponse.episode_steps")
    expect_final_fields_well_formed(spec, response)
    if in_mode(spec, "AUTORESET_MODE_NEXT_STEP"):
        expect_equal(len(response.autoreset), copies, "StepResponse.autoreset length (num_envs, NEXT_STEP mode)")
    else:
        expect(not any(response.autoreset), "StepResponse.autoreset flags a copy outside NEXT_STEP autoreset")


def expect_reward_gradient_well_formed(spec, agent_spec, agent) -> None:
    """num_envs * action size finite values when the session asked for them (0 on the message
    part), none otherwise."""
    copies = spec.options.num_envs
    asked = spec.options.reward_gradient
    action_size = box_size(agent_spec.action_space)
    expect_equal(len(agent.reward_gradient), action_size * copies if asked else 0,
                 f"Step {agent.agent}.reward_gradient length "
                 f"({'num_envs * action size, asked for' if asked else 'empty, not asked for'})")
    expect(finite(agent.reward_gradient), f"Step {agent.agent}.reward_gradient is not finite")
    message = part(agent_spec.action_parts, "message")
    if asked and message is not None:
        for copy in range(copies):
            row = copy_rows(agent.reward_gradient, action_size, copy)
            on_message = row[message.offset:message.offset + message.size]
            expect(all(g == 0.0 for g in on_message),
                   f"Step {agent.agent}.reward_gradient of copy {copy} on the message part must be 0, got {on_message}")


def expect_final_fields_well_formed(spec, response) -> None:
    """final_observation, final_shared_observation and final_state: under SAME_STEP autoreset and
    only when some copy ended, one row per copy inside its Box, the rows of copies that did not end
    repeating their current values; empty otherwise."""
    copies = spec.options.num_envs
    same_step = in_mode(spec, "AUTORESET_MODE_SAME_STEP")
    ended = [copy for copy in range(copies) if episode_ended(response, copy)]
    rows = [("final_shared_observation", response.final_shared_observation, response.shared_observation,
             spec.shared_observation_space),
            ("final_state", response.final_state, response.state, spec.state_space)]
    rows += [(f"{agent.agent}.final_observation", agent.final_observation, agent.observation,
              agent_spec.observation_space) for agent_spec, agent in zip(spec.agents, response.agents)]
    for name, final, current, box in rows:
        if not (same_step and ended):
            reason = "no copy ended in this step" if same_step else "autoreset is not SAME_STEP"
            expect(len(final) == 0, f"StepResponse {name} must be empty when {reason}, got {len(final)} values")
            continue
        expect_in_box(final, box, copies, f"StepResponse {name} (copies {ended} ended)")
        size = box_size(box)
        for copy in range(copies):
            if copy not in ended:
                expect_equal(copy_rows(final, size, copy), copy_rows(current, size, copy),
                             f"StepResponse {name} row of copy {copy}, which did not end (repeats its current row)")


def in_mode(spec, mode_name: str) -> bool:
    """Whether the session's resolved autoreset mode is the AutoresetMode value named `mode_name`."""
    enum = spec.options.DESCRIPTOR.fields_by_name["autoreset_mode"].enum_type
    return spec.options.autoreset_mode == enum.values_by_name[mode_name].number


def episode_ended(response, copy: int = 0) -> bool:
    return response.terminated[copy] or response.truncated[copy]
