package dev.mona.workflows;

/** Task queue names shared by workflows, workers and the command line. */
public final class Queues {
    private Queues() {}

    /** Workflows and the CPU activities (data fetch, source preparation, export, manifests): the orchestrator. */
    public static final String CPU = "mona-cpu";
    /** The GPU activities (alignment, fine-tuning, linear probe): GPU workers, one slot per GPU. */
    public static final String GPU = "mona-gpu";
}
