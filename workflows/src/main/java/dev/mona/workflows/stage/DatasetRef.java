package dev.mona.workflows.stage;

import java.util.List;

/**
 * A stored data set.
 *
 * @param task        catalogue name
 * @param key         artifact key of the stored splits
 * @param digest      SHA-256 of the stored bytes (the stage cache and the manifest use it)
 * @param modality    modality name of the task
 * @param classes     number of classes (0 for dense tasks)
 * @param metricName  reported metric (lower is better)
 * @param inputShape  shape of one input sample
 * @param trainSize   training samples
 * @param cached      true when an identical stored data set was reused
 */
public record DatasetRef(String task, String key, String digest, String modality, int classes, String metricName,
                         List<Long> inputShape, int trainSize, boolean cached) {
}
