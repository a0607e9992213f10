/**
 * Interim computations used by the stage adapters until the corresponding {@code dev.mona.core} pieces land on
 * main: two generated tasks and a three-layer tanh network (embedder, encoder with its own source embedding layer,
 * predictor) trained with plain SGD on the heap. Real computations, small on purpose; results computed here are
 * labelled {@code interim:*} in every result record and manifest. Delete this package once core is wired.
 */
package dev.mona.activities.interim;
