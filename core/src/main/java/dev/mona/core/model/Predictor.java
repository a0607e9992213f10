package dev.mona.core.model;

/** A target predictor {@code h_psi}: encoder output tokens to the task's output. */
public interface Predictor extends Module {
}
