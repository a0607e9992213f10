/**
 * Task spec files: a YAML file declares a task over the user's own data (npy, npz, HDF5 or CSV files, local or
 * {@code https://} with a SHA-256), which {@link dev.mona.core.task.spec.TaskSpecFile} turns into a
 * {@link dev.mona.core.task.TaskSpec} and a {@link dev.mona.core.task.TaskLoader} for the one
 * {@link dev.mona.core.task.TaskCatalog}: such a task runs through the same stages as a catalogue task.
 */
package dev.mona.core.task.spec;
