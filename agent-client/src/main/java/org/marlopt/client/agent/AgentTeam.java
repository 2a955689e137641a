package org.marlopt.client.agent;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.marlopt.client.nn.Mlp;
import org.marlopt.client.nn.ParameterValues;

/**
 * All agents' networks stacked along a leading agent axis, so one batched op serves every agent:
 * layer l holds weights [agents, in, out] and biases [agents, 1, out], and a forward pass is
 * three batchMatMul + add (+ ReLU) on inputs [agents, copies, inputSize]. Agent i's slice is
 * exactly agent i's {@link AgentNetwork} model; {@link #copyTo} and {@link #fromModels} move
 * parameters between the two forms. Every agent has the same input and output size; agents whose
 * observation or action is smaller are padded by {@link TeamActor}.
 */
public final class AgentTeam implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] weights;
    private final NDArray[] biases;
    private final int numAgents;
    private final int inputSize;
    private final int outputSize;

    private AgentTeam(NDManager manager, NDArray[] weights, NDArray[] biases) {
        this.manager = manager;
        this.weights = weights;
        this.biases = biases;
        this.numAgents = Math.toIntExact(weights[0].getShape().get(0));
        this.inputSize = Math.toIntExact(weights[0].getShape().get(1));
        this.outputSize = Math.toIntExact(weights[AgentNetwork.LAYERS - 1].getShape().get(2));
        for (NDArray parameter : parameters()) {
            parameter.setRequiresGradient(true);
        }
    }

    /**
     * Fresh models with PyTorch's default Linear initialisation, U(-1/sqrt(in), 1/sqrt(in)) for
     * weights and biases, drawn from {@code seed} so a run is reproducible on any engine.
     */
    public static void initialize(List<Model> models, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Model model : models) {
            List<NDArray> arrays = AgentNetwork.parameterArrays(model);
            for (int l = 0; l < AgentNetwork.LAYERS; l++) {
                NDArray weight = arrays.get(2 * l);
                double bound = 1.0 / Math.sqrt(weight.getShape().get(1));
                for (NDArray array : List.of(weight, arrays.get(2 * l + 1))) {
                    float[] values = new float[Math.toIntExact(array.size())];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) random.nextDouble(-bound, bound);
                    }
                    ParameterValues.overwrite(array, values);
                }
            }
        }
    }

    /** Stacks the models' parameters into a new team owned by a sub-manager of {@code parent}. */
    public static AgentTeam fromModels(NDManager parent, List<Model> models) {
        NDManager manager = parent.newSubManager();
        NDArray[] weights = new NDArray[AgentNetwork.LAYERS];
        NDArray[] biases = new NDArray[AgentNetwork.LAYERS];
        int agents = models.size();
        for (int l = 0; l < AgentNetwork.LAYERS; l++) {
            Shape linearShape = AgentNetwork.parameterArrays(models.get(0)).get(2 * l).getShape();
            int out = Math.toIntExact(linearShape.get(0));
            int in = Math.toIntExact(linearShape.get(1));
            float[] stackedWeights = new float[agents * in * out];
            float[] stackedBiases = new float[agents * out];
            for (int a = 0; a < agents; a++) {
                List<NDArray> arrays = AgentNetwork.parameterArrays(models.get(a));
                float[] linearWeight = arrays.get(2 * l).toFloatArray();
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        stackedWeights[(a * in + i) * out + o] = linearWeight[o * in + i];
                    }
                }
                System.arraycopy(arrays.get(2 * l + 1).toFloatArray(), 0, stackedBiases, a * out, out);
            }
            weights[l] = Mlp.ownedCopy(manager, stackedWeights, new Shape(agents, in, out));
            biases[l] = Mlp.ownedCopy(manager, stackedBiases, new Shape(agents, 1, out));
        }
        return new AgentTeam(manager, weights, biases);
    }

    /** Writes the stacked parameters back into the per-agent models (before saving them). */
    public void copyTo(List<Model> models) {
        for (int l = 0; l < AgentNetwork.LAYERS; l++) {
            Shape shape = weights[l].getShape();
            int in = Math.toIntExact(shape.get(1));
            int out = Math.toIntExact(shape.get(2));
            float[] stackedWeights = weights[l].toFloatArray();
            float[] stackedBiases = biases[l].toFloatArray();
            for (int a = 0; a < numAgents; a++) {
                List<NDArray> arrays = AgentNetwork.parameterArrays(models.get(a));
                float[] linearWeight = new float[in * out];
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        linearWeight[o * in + i] = stackedWeights[(a * in + i) * out + o];
                    }
                }
                ParameterValues.overwrite(arrays.get(2 * l), linearWeight);
                ParameterValues.overwrite(arrays.get(2 * l + 1),
                        Arrays.copyOfRange(stackedBiases, a * out, (a + 1) * out));
            }
        }
    }

    /** Every agent's raw output for every copy: [agents, copies, outputSize] from [agents, copies, inputSize]. */
    public NDArray forward(NDArray inputs) {
        NDArray hidden = inputs;
        for (int l = 0; l < AgentNetwork.LAYERS; l++) {
            hidden = hidden.batchMatMul(weights[l]).add(biases[l]);
            if (l < AgentNetwork.LAYERS - 1) {
                hidden = Activation.relu(hidden);
            }
        }
        return hidden;
    }

    /**
     * Per agent, the L2 norm of its whole gradient (all layers), after a backward pass; the
     * gradient arrays are attached to {@code scratch}.
     */
    public float[] gradientNorms(NDManager scratch) {
        NDArray squares = scratch.zeros(new Shape(numAgents));
        for (NDArray parameter : parameters()) {
            NDArray gradient = parameter.getGradient();
            gradient.attach(scratch);
            squares = squares.add(gradient.square().sum(new int[] {1, 2}));
        }
        return squares.sqrt().toFloatArray();
    }

    /**
     * Multiplies the output layer's weights and biases of fresh models by {@code factor}: a policy
     * whose outputs start near 0 (CleanRL's PPO initialises its actor's last layer with std 0.01),
     * so that early actions neither drift the system nor saturate a tanh squash.
     */
    public static void scaleOutputLayer(List<Model> models, float factor) {
        for (Model model : models) {
            List<NDArray> arrays = AgentNetwork.parameterArrays(model);
            for (NDArray array : arrays.subList(2 * AgentNetwork.LAYERS - 2, 2 * AgentNetwork.LAYERS)) {
                float[] values = array.toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    values[i] *= factor;
                }
                ParameterValues.overwrite(array, values);
            }
        }
    }

    /**
     * Under parameter sharing: replaces every agent's gradient with the sum over agents (the shared
     * network's gradient), after a backward pass and before the optimizer step (see {@link ParameterSharing}).
     */
    public void sumGradientsAcrossAgents() {
        for (NDArray parameter : parameters()) {
            try (NDArray gradient = parameter.getGradient();
                 NDArray sum = gradient.sum(new int[] {0}, true)) {
                gradient.muli(0f).addi(sum);
            }
        }
    }

    /** Trainable arrays in a fixed order: w0, b0, w1, b1, w2, b2. */
    public NDList parameters() {
        NDList list = new NDList(2 * AgentNetwork.LAYERS);
        for (int l = 0; l < AgentNetwork.LAYERS; l++) {
            list.add(weights[l]);
            list.add(biases[l]);
        }
        return list;
    }

    public int numAgents() {
        return numAgents;
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    @Override
    public void close() {
        manager.close();
    }
}
