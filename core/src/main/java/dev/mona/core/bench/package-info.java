/**
 * Benchmarks of the fine-tune step and of MoNA's meta-step. The CLI's
 * {@code mona bench train-step --size vit-tiny --format json} calls
 * {@link dev.mona.core.bench.TrainStepBench#run(String, int, int)} and prints
 * {@link dev.mona.core.bench.TrainStepResult#toJson()}; the memory mode calls
 * {@link dev.mona.core.bench.TrainStepBench#memory(String, int, int)} (50 and 500 steps) and prints
 * {@link dev.mona.core.bench.MemoryResult#toJson()}. For a resident-memory figure that reflects libtorch rather
 * than the JVM touching fresh heap pages, run the memory mode with {@code -Xms} equal to {@code -Xmx} and
 * {@code -XX:+AlwaysPreTouch}. {@code mona bench meta-step} calls
 * {@link dev.mona.core.bench.MetaStepBench#run(String, int, dev.mona.core.method.HvpMode, int, int)} and prints
 * {@link dev.mona.core.bench.MetaStepBench.Result#toJson()}.
 */
package dev.mona.core.bench;
