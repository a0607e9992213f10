package dev.mona.core.bench;

import ai.djl.Device;

/**
 * Child-process entry point of the memory test: runs the memory benchmark and prints its JSON. Started with a
 * fixed, pre-touched Java heap ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}) so that resident memory
 * changes reflect native (libtorch) memory, not the JVM touching fresh heap pages between collections.
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static void main(String[] args) {
        BenchWorkload w = args[0].equals("mlp") ? TrainStepBenchTest.mlp(32, 256, 512, 10)
                : BenchSizes.workload(args[0]);
        MemoryResult r = TrainStepBench.memory(w, Device.cpu(), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        System.out.println(r.toJson());
    }
}
