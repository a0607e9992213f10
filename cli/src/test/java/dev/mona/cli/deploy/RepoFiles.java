package dev.mona.cli.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates files of the repository from a test, whatever module directory Maven runs it in. */
final class RepoFiles {
    private RepoFiles() {}

    /** The repository root: the first ancestor of the working directory that holds {@code helm/mona/Chart.yaml}. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isRegularFile(p.resolve("helm/mona/Chart.yaml"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("repository root with helm/mona/Chart.yaml not found above "
                + Path.of("").toAbsolutePath());
    }
}
