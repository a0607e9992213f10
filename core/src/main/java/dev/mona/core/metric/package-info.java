/**
 * Task losses ({@link dev.mona.core.metric.Losses}: differentiable twice, on engine arrays) and reported metrics
 * ({@link dev.mona.core.metric.Metrics}: on the host, lower is better, exact definitions in its Javadoc).
 */
package dev.mona.core.metric;
