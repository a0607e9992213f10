package dev.mona.core.fetch;

import java.util.List;

/**
 * One file of a published data set.
 *
 * @param name      file name in the task's data directory
 * @param urls      download locations, tried in order (a mirror override is put in front)
 * @param sizeBytes expected size, or -1 when unknown
 * @param sha256    expected digest (lower-case hex), or null when unknown: recorded at first download, verified after
 */
public record DataFile(String name, List<String> urls, long sizeBytes, String sha256) {
}
