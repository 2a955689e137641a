package org.marlopt.client.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.SplittableRandom;

/**
 * A stack of independent MLPs of one shape, run by one batched op: layer l holds weights
 * [stack, in, out] and biases [stack, 1, out], hidden layers use ReLU, the last is linear, and a
 * forward pass maps [stack, rows, in] to [stack, rows, out]. The layout is {@code AgentTeam}'s,
 * so an MLP can also be a copy of the agents' networks (a target actor). It owns a sub-manager.
 */
public final class Mlp implements AutoCloseable {

    private final NDManager manager;
    private final NDList parameters;

    private Mlp(NDManager manager, NDList parameters, boolean trainable) {
        this.manager = manager;
        this.parameters = parameters;
        for (NDArray parameter : parameters) {
            parameter.setRequiresGradient(trainable);
        }
    }

    /**
     * Fresh trainable MLPs with PyTorch's default Linear initialisation, U(-1/sqrt(in), 1/sqrt(in))
     * for weights and biases, drawn from {@code random}.
     *
     * @param sizes input size, hidden sizes, output size
     */
    public static Mlp create(NDManager parent, int stack, int[] sizes, SplittableRandom random) {
        NDManager manager = parent.newSubManager();
        NDList parameters = new NDList();
        for (int l = 0; l + 1 < sizes.length; l++) {
            double bound = 1.0 / Math.sqrt(sizes[l]);
            parameters.add(ownedCopy(manager, uniform(random, stack * sizes[l] * sizes[l + 1], bound),
                    new Shape(stack, sizes[l], sizes[l + 1])));
            parameters.add(ownedCopy(manager, uniform(random, stack * sizes[l + 1], bound),
                    new Shape(stack, 1, sizes[l + 1])));
        }
        return new Mlp(manager, parameters, true);
    }

    /**
     * A copy of {@code source} (w0, b0, w1, b1, ... in the stacked layout), detached from any graph:
     * a target network (not trainable), or a network restored from a checkpoint (trainable).
     */
    public static Mlp copyOf(NDManager parent, NDList source, boolean trainable) {
        NDManager manager = parent.newSubManager();
        NDList parameters = new NDList(source.size());
        for (NDArray array : source) {
            try (NDArray detached = array.stopGradient()) {
                NDArray copy = detached.duplicate();
                copy.attach(manager);
                parameters.add(copy);
            }
        }
        return new Mlp(manager, parameters, trainable);
    }

    /** [stack, rows, out] from [stack, rows, in] (or [1, rows, in], broadcast), in the autograd graph of the parameters. */
    public NDArray forward(NDArray inputs) {
        return forward(inputs, parameters);
    }

    /**
     * MLP {@code member} of the stack alone, [1, rows, out] from [1, rows, in], with no gradient
     * reaching the parameters; the detached views go to {@code scratch}.
     */
    public NDArray forwardFrozen(NDManager scratch, NDArray inputs, int member) {
        NDList detached = new NDList(parameters.size());
        for (NDArray parameter : parameters) {
            NDArray view = parameter.stopGradient();
            view.attach(scratch);
            detached.add(view.get(new NDIndex("{}:{}", member, member + 1)));
        }
        return forward(inputs, detached);
    }

    private static NDArray forward(NDArray inputs, NDList parameters) {
        NDArray hidden = inputs;
        int layers = parameters.size() / 2;
        for (int l = 0; l < layers; l++) {
            hidden = hidden.matMul(parameters.get(2 * l)).add(parameters.get(2 * l + 1));
            if (l < layers - 1) {
                hidden = Activation.relu(hidden);
            }
        }
        return hidden;
    }

    /**
     * {@code values} in memory PyTorch allocated. An array made from Java data wraps a Java direct
     * buffer that lives only as long as that array object; parameters, which autograd graphs,
     * detached views and optimizers refer to for the whole run, live in PyTorch's memory instead
     * (see {@link Scalars} for what a freed buffer under a graph does).
     */
    public static NDArray ownedCopy(NDManager manager, float[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    /** The parameters in a fixed order: w0, b0, w1, b1, ... (owned by this MLP). */
    public NDList parameters() {
        return parameters;
    }

    private static float[] uniform(SplittableRandom random, int count, double bound) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }

    @Override
    public void close() {
        manager.close();
    }
}
