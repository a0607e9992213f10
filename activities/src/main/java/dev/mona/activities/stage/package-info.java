/**
 * One adapter per stage: the seam between the activities (records, artifact keys, heartbeats, cache) and the ML
 * in {@code dev.mona.core}. Each adapter names its implementation in {@code IMPLEMENTATION}; that name goes into
 * the stage-cache key and the run's manifest, so a change of implementation invalidates old cache entries and is
 * visible in every result.
 */
package dev.mona.activities.stage;
