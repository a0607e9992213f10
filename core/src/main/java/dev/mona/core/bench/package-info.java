/**
 * Benchmarks of the fine-tune step. The CLI's {@code mona bench train-step --size vit-tiny --format json} calls
 * {@link dev.mona.core.bench.TrainStepBench#run(String, int, int)} and prints
 * {@link dev.mona.core.bench.TrainStepResult#toJson()}; the memory mode calls
 * {@link dev.mona.core.bench.TrainStepBench#memory(String, int, int)} (50 and 500 steps) and prints
 * {@link dev.mona.core.bench.MemoryResult#toJson()}. For a resident-memory figure that reflects libtorch rather
 * than the JVM touching fresh heap pages, run the memory mode with {@code -Xms} equal to {@code -Xmx} and
 * {@code -XX:+AlwaysPreTouch}.
 */
package dev.mona.core.bench;
