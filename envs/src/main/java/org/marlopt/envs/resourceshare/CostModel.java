package org.marlopt.envs.resourceshare;

/**
 * A service's cost f(c) at capacity c under arrival rate lambda: convex in c, so its marginal
 * cost f'(c) rises with c. The optimum of sum_i f_i(c_i) under sum_i c_i = B gives every unfloored
 * service the same marginal cost mu, which for both models reads c_i = lambda_i + s * w_i
 * for one level s > 0 and a per-service {@link #allocationWeight}.
 */
enum CostModel {

    /** Mean number in an M/M/1 queue: lambda / (c - lambda). */
    MM1("mm1") {
        @Override
        double cost(double capacity, double rate) {
            return rate / (capacity - rate);
        }

        @Override
        double marginalCost(double capacity, double rate) {
            double slack = capacity - rate;
            return -rate / (slack * slack);
        }

        /** -lambda / (c - lambda)^2 = mu gives c = lambda + sqrt(lambda) / sqrt(-mu): the square-root allocation. */
        @Override
        double allocationWeight(double rate) {
            return Math.sqrt(rate);
        }
    },

    /** (c - 2 lambda)^2 / (2 lambda): least cost at twice the load. */
    QUADRATIC("quadratic") {
        @Override
        double cost(double capacity, double rate) {
            double excess = capacity - 2 * rate;
            return excess * excess / (2 * rate);
        }

        @Override
        double marginalCost(double capacity, double rate) {
            return (capacity - 2 * rate) / rate;
        }

        /** (c - 2 lambda) / lambda = mu gives c = lambda + (1 + mu) lambda: capacity proportional to load. */
        @Override
        double allocationWeight(double rate) {
            return rate;
        }
    };

    private final String parameterValue;

    CostModel(String parameterValue) {
        this.parameterValue = parameterValue;
    }

    /** The value of the {@code cost} parameter that selects this model. */
    String parameterValue() {
        return parameterValue;
    }

    static CostModel of(String parameterValue) {
        for (CostModel model : values()) {
            if (model.parameterValue.equals(parameterValue)) {
                return model;
            }
        }
        throw new IllegalArgumentException("no cost model '" + parameterValue + "'");
    }

    abstract double cost(double capacity, double rate);

    /** f'(c). */
    abstract double marginalCost(double capacity, double rate);

    /** w(lambda): at the optimum an unfloored service gets c = lambda + s * w(lambda). */
    abstract double allocationWeight(double rate);
}
