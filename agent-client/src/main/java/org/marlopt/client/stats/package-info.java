/**
 * The statistics of a comparison over seeds, after Agarwal et al. 2021, "Deep Reinforcement
 * Learning at the Edge of the Statistical Precipice" (the rliable library): aggregate metrics of
 * normalised scores (interquartile mean, mean, median, optimality gap), stratified bootstrap
 * confidence intervals, the probability of improvement and performance profiles.
 *
 * <p>Scores come as {@code double[task][run]}: per task (an environment, with its parameters) the
 * normalised score of every run (training seed) of one algorithm. Quantiles and the Mann-Whitney
 * U statistic are Apache Commons Statistics'.
 */
package org.marlopt.client.stats;
