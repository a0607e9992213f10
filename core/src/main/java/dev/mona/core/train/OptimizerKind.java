package dev.mona.core.train;

/** Optimisers of ORCA's task configurations. */
public enum OptimizerKind {
    SGD, ADAM, ADAMW
}
