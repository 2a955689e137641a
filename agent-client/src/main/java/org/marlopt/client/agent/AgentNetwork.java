package org.marlopt.client.agent;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;

/**
 * One agent's network as a standalone DJL model, the seed's architecture:
 * input -> hidden (ReLU) -> hidden (ReLU) -> output. The model is what is saved and loaded per
 * agent; training runs on the stacked copy held by {@link AgentTeam}. Its input is the agent's
 * observation (shared ++ own) padded with zeros to the team's largest, its output the agent's
 * action followed by unused padding (see {@link TeamActor}).
 */
public final class AgentNetwork {

    /** Number of Linear layers. */
    public static final int LAYERS = 3;

    private AgentNetwork() {}

    /** New models named after the agents, with initialised (not yet meaningful) parameters. */
    public static List<Model> newModels(List<String> agentNames, int inputSize, int hiddenSize, int outputSize) {
        List<Model> models = new ArrayList<>();
        for (String name : agentNames) {
            models.add(newModel(name, inputSize, hiddenSize, outputSize));
        }
        return models;
    }

    /** A new model with initialised (not yet meaningful) parameters. */
    public static Model newModel(String name, int inputSize, int hiddenSize, int outputSize) {
        Model model = Model.newInstance(name);
        model.setBlock(newBlock(hiddenSize, outputSize));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, inputSize));
        return model;
    }

    /** The uninitialised block, also used to load a saved model. */
    public static SequentialBlock newBlock(int hiddenSize, int outputSize) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hiddenSize).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(hiddenSize).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(outputSize).build());
    }

    /** The model's weight [out, in] and bias [out] arrays, layer by layer: w0, b0, w1, b1, w2, b2. */
    public static List<NDArray> parameterArrays(Model model) {
        List<NDArray> arrays = new ArrayList<>();
        for (Parameter parameter : model.getBlock().getParameters().values()) {
            arrays.add(parameter.getArray());
        }
        if (arrays.size() != 2 * LAYERS) {
            throw new IllegalStateException("agent model " + model.getName() + " has " + arrays.size()
                    + " parameter arrays, expected " + 2 * LAYERS);
        }
        return arrays;
    }

    /** Input, hidden and output size of a model: {in, hidden, out}. */
    public static int[] sizes(Model model) {
        List<NDArray> arrays = parameterArrays(model);
        Shape first = arrays.get(0).getShape();
        Shape last = arrays.get(2 * LAYERS - 2).getShape();
        return new int[] {Math.toIntExact(first.get(1)), Math.toIntExact(first.get(0)), Math.toIntExact(last.get(0))};
    }
}
