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
 * observation -> hidden (ReLU) -> hidden (ReLU) -> action. The model is what is saved and loaded
 * per agent; training runs on the stacked copy held by {@link AgentTeam}.
 */
public final class AgentNetwork {

    /** Number of Linear layers. */
    public static final int LAYERS = 3;

    private AgentNetwork() {}

    /** A new model with initialised (not yet meaningful) parameters. */
    public static Model newModel(String name, int observationSize, int hiddenSize, int actionSize) {
        Model model = Model.newInstance(name);
        model.setBlock(newBlock(hiddenSize, actionSize));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, observationSize));
        return model;
    }

    /** The uninitialised block, also used to load a saved model. */
    public static SequentialBlock newBlock(int hiddenSize, int actionSize) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hiddenSize).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(hiddenSize).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(actionSize).build());
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
}
