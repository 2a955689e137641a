#!/usr/bin/env node
// A marlopt agent in Node.js: loads env.proto (protocol v2) at run time (no generated code), makes a
// session, runs one episode and prints the result. DistributedOptimization-v1 is driven by a
// proportional controller; any other environment by random actions inside each agent's action Box.
//
//   npm ci                                  # once, in examples/node-agent
//   node agent.js --server 127.0.0.1:50051 [--seed 0] [--gain 0.5] [--env DistributedOptimization-v1]
//
// Exits 0 after a complete episode, 1 when the server cannot be reached or rejects a call.
'use strict';

const path = require('path');
const { parseArgs, promisify } = require('util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_ROOT = path.join(__dirname, '..', '..', 'proto', 'src', 'main', 'proto');
const CALL_DEADLINE_MS = 30_000;
const SEED_ENV_ID = 'DistributedOptimization-v1';

function loadEnvService() {
  // google/protobuf/struct.proto (imported by the contract) is bundled with protobufjs.
  const definition = protoLoader.loadSync('marlopt/env/v2/env.proto', {
    includeDirs: [PROTO_ROOT],
    keepCase: true, // field names exactly as in the .proto
    longs: String, // uint64 and int64 as decimal strings: no precision loss
    enums: String,
    defaults: true,
    oneofs: true, // a oneof's set member is named by a virtual field, e.g. ParameterValue.kind
  });
  return grpc.loadPackageDefinition(definition).marlopt.env.v2.EnvService;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', default: process.env.ENV_SERVER_TARGET || '127.0.0.1:50051' },
      env: { type: 'string', default: SEED_ENV_ID },
      seed: { type: 'string', default: '0' },
      gain: { type: 'string', default: '0.5' },
    },
  });
  const gain = Number(values.gain);
  if (!(gain > 0 && gain <= 1)) throw new Error(`--gain must be in (0, 1], got ${values.gain}`);
  if (!/^\d+$/.test(values.seed)) throw new Error(`--seed must be a non-negative integer, got ${values.seed}`);
  return { ...values, gain };
}

// Unary calls as promises, each with a deadline.
function promiseClient(client) {
  const call = (name) => {
    const method = promisify(client[name].bind(client));
    return (request) => method(request, { deadline: Date.now() + CALL_DEADLINE_MS });
  };
  return { make: call('Make'), reset: call('Reset'), step: call('Step'), close: call('Close') };
}

// A typed ParameterValue as a JavaScript value (integers arrive as decimal strings).
function parameterValue(value) {
  if (value.kind === 'integer') return Number(value.integer);
  if (value.kind === 'numbers') return value.numbers.values;
  return value[value.kind];
}

// What each agent observes: the shared observation (sent once) followed by its own.
function observations(response) {
  return response.agents.map((agent) => response.shared_observation.concat(agent.observation));
}

// DistributedOptimization-v1: the parameter vector is the shared observation, so every agent sees
// it whole. Shares `gain` of the gap between sum(params) and the target over the parameters, in
// proportion to how far each can still move before the [-1, 1] clip; agent i applies its own block.
function proportionalController(spec, gain) {
  const target = parameterValue(spec.params.target);
  const sharedSize = spec.shared_observation_space.low.length;
  return (observed) => {
    const params = observed[0].slice(0, sharedSize);
    const error = target - params.reduce((a, b) => a + b, 0);
    const room = params.map((p) => (error > 0 ? 1 - p : p + 1));
    const totalRoom = room.reduce((a, b) => a + b, 0);
    const moves = room.map((r) => (totalRoom === 0 ? 0 : (gain * error * r) / totalRoom));
    const block = moves.length / spec.agents.length;
    return spec.agents.map((agent, i) => {
      const { low, high } = agent.action_space;
      return moves.slice(i * block, (i + 1) * block).map((v, j) => Math.min(Math.max(v, low[j]), high[j]));
    });
  };
}

// Any environment: each action element uniform inside finite bounds, as Gymnasium's Box.sample a
// shifted exponential beside one finite bound and a unit normal where both are infinite.
function randomPolicy(spec) {
  const sample = (low, high) => {
    if (Number.isFinite(low) && Number.isFinite(high)) return low + Math.random() * (high - low);
    const exponential = -Math.log(1 - Math.random());
    if (Number.isFinite(low)) return low + exponential;
    if (Number.isFinite(high)) return high - exponential;
    return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
  };
  return () => spec.agents.map(({ action_space: { low, high } }) => low.map((l, j) => sample(l, high[j])));
}

async function runEpisode(env, spec, sessionId, policy, seed) {
  let response = await env.reset({ session_id: sessionId, seed });
  let episodeReturn = 0;
  let steps = 0;
  for (;;) {
    const actions = policy(observations(response)).map((values, i) => ({ agent: spec.agents[i].name, values }));
    response = await env.step({ session_id: sessionId, actions });
    episodeReturn += response.agents[0].reward[0]; // the shared team reward
    steps += 1;
    if (response.terminated[0] || response.truncated[0]) {
      const scalars = spec.info.filter((key) => key.size === 1 && response.info[key.name]);
      return {
        steps,
        episodeReturn,
        terminated: response.terminated[0],
        truncated: response.truncated[0],
        info: scalars.map((key) => `${key.name}=${response.info[key.name].values[0].toFixed(4)}`).join(' '),
      };
    }
  }
}

async function main() {
  const options = parseOptions();
  const EnvService = loadEnvService();
  const client = new EnvService(options.server, grpc.credentials.createInsecure());
  await promisify(client.waitForReady.bind(client))(Date.now() + 10_000).catch(() => {
    throw new Error(`no env server answers at ${options.server} (waited 10 s)`);
  });
  const env = promiseClient(client);
  const made = await env.make({ env_id: options.env, options: { num_envs: 1 } });
  const { session_id: sessionId, spec } = made;
  const controlled = spec.env_id === SEED_ENV_ID;
  console.log(
    `session ${sessionId} on ${options.server}: ${spec.env_id}, agents ${spec.agents.map((a) => a.name).join(',')}, ` +
      `policy ${controlled ? 'proportional' : 'random'}`,
  );
  try {
    const policy = controlled ? proportionalController(spec, options.gain) : randomPolicy(spec);
    const result = await runEpisode(env, spec, sessionId, policy, options.seed);
    console.log(
      `episode seed=${options.seed} return=${result.episodeReturn.toFixed(4)} steps=${result.steps} ` +
        `terminated=${result.terminated} truncated=${result.truncated} ${result.info}`,
    );
  } finally {
    await env.close({ session_id: sessionId });
    client.getChannel().close(); // not client.close(): the Close RPC method shadows Client.close
  }
}

main().catch((error) => {
  const status = error.code !== undefined ? `${grpc.status[error.code]}: ${error.details}` : error.message;
  console.error(`error: ${status}`);
  process.exit(1);
});
