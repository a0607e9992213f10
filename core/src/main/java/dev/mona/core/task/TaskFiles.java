package dev.mona.core.task;

import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.fetch.ExtractionLimits;
import dev.mona.core.fetch.SafeExtractor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local files of one task, by their catalogue names, as a {@link TaskLoader} sees them: already downloaded and
 * verified (from the content cache) or in a folder the user points at.
 */
public interface TaskFiles {

    /** The file with this catalogue name; a missing file names what to do. */
    Path file(String name) throws IOException;

    /** A folder holding the safely extracted contents of the archive with this catalogue name. */
    Path extracted(String name) throws IOException;

    /** Files fetched into the cache by a {@link DatasetFetcher} (see {@link TaskCatalog#fetch}). */
    static TaskFiles fetched(Map<String, Path> files, DatasetFetcher fetcher) {
        return new TaskFiles() {
            @Override
            public Path file(String name) {
                Path p = files.get(name);
                if (p == null) {
                    throw new IllegalArgumentException("no file named " + name + " among " + files.keySet());
                }
                return p;
            }

            @Override
            public Path extracted(String name) throws IOException {
                return fetcher.extracted(file(name));
            }
        };
    }

    /** Files that sit in one folder under their catalogue names (archives are extracted next to them). */
    static TaskFiles inDirectory(Path dir) {
        return new TaskFiles() {
            @Override
            public Path file(String name) {
                Path p = dir.resolve(name);
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("missing " + p + ": download the task's data (`mona fetch`) or"
                            + " copy " + name + " there");
                }
                return p;
            }

            @Override
            public Path extracted(String name) throws IOException {
                Path out = dir.resolve(name + ".extracted");
                Path done = out.resolve(".complete");
                if (!Files.exists(done)) {
                    new SafeExtractor(ExtractionLimits.defaults()).extract(file(name), out);
                    Files.writeString(done, name);
                }
                return out;
            }
        };
    }
}
