#!/usr/bin/env node
// A marlopt agent in Node.js: loads env.proto at run time (no generated code), makes a session of
// DistributedOptimization-v1, runs one episode with a proportional controller and prints the result.
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

function loadEnvService() {
  // google/protobuf/struct.proto (imported by the contract) is bundled with protobufjs.
  const definition = protoLoader.loadSync('marlopt/env/v1/env.proto', {
    includeDirs: [PROTO_ROOT],
    keepCase: true, // field names exactly as in the .proto
    longs: String, // uint64 as decimal strings: no precision loss
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).marlopt.env.v1.EnvService;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', default: process.env.ENV_SERVER_TARGET || '127.0.0.1:50051' },
      env: { type: 'string', default: 'DistributedOptimization-v1' },
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

// Shares `gain` of the gap between sum(params) and the target over the parameters, in proportion
// to how far each can still move before the [-1, 1] clip; agent i applies its own block.
function proportionalActions(spec, params, gain) {
  const target = spec.params.target;
  const error = target - params.reduce((a, b) => a + b, 0);
  const room = params.map((p) => (error > 0 ? 1 - p : p + 1));
  const totalRoom = room.reduce((a, b) => a + b, 0);
  const moves = room.map((r) => (totalRoom === 0 ? 0 : (gain * error * r) / totalRoom));
  const block = moves.length / spec.agents.length;
  return spec.agents.map((agent, i) => {
    const { low, high } = agent.action_space;
    const values = moves.slice(i * block, (i + 1) * block).map((v, j) => Math.min(Math.max(v, low[j]), high[j]));
    return { agent: agent.name, values };
  });
}

async function runEpisode(env, spec, sessionId, options) {
  let response = await env.reset({ session_id: sessionId, seed: options.seed });
  let episodeReturn = 0;
  let steps = 0;
  for (;;) {
    const params = response.agents[0].observation; // every agent observes the whole vector
    response = await env.step({ session_id: sessionId, actions: proportionalActions(spec, params, options.gain) });
    episodeReturn += response.agents[0].reward[0]; // the shared team reward
    steps += 1;
    if (response.terminated[0] || response.truncated[0]) {
      return {
        steps,
        episodeReturn,
        terminated: response.terminated[0],
        truncated: response.truncated[0],
        distance: response.info.distance ? response.info.distance.values[0] : NaN,
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
  console.log(`session ${sessionId} on ${options.server}: ${spec.env_id}, agents ${spec.agents.map((a) => a.name).join(',')}`);
  try {
    const result = await runEpisode(env, spec, sessionId, options);
    console.log(
      `episode seed=${options.seed} return=${result.episodeReturn.toFixed(4)} steps=${result.steps} ` +
        `terminated=${result.terminated} truncated=${result.truncated} final_distance=${result.distance.toFixed(4)}`,
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
