package dev.mona.activities;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The version of the code that computes a stage: project version plus git commit. Part of every stage-cache key,
 * so a new build never reuses results of an older one. {@code MONA_CODE_VERSION} overrides it.
 */
public final class CodeVersion {
    private CodeVersion() {}

    private static volatile String commit;

    /** {@code <project version>+<commit>}. */
    public static String current() {
        String env = System.getenv("MONA_CODE_VERSION");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return projectVersion() + "+" + gitCommit();
    }

    public static String projectVersion() {
        String v = CodeVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /** The commit of the source tree ({@code mona.home} or the working directory), with {@code -dirty} when modified. */
    public static String gitCommit() {
        String c = commit;
        if (c == null) {
            c = readCommit();
            commit = c;
        }
        return c;
    }

    private static String readCommit() {
        String home = System.getProperty("mona.home", ".");
        if (!Files.exists(Path.of(home, ".git"))) {
            return "unknown";
        }
        try {
            String head = run(home, "git", "rev-parse", "--short=12", "HEAD");
            String dirty = run(home, "git", "status", "--porcelain", "--untracked-files=no");
            return head.isEmpty() ? "unknown" : head + (dirty.isEmpty() ? "" : "-dirty");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String run(String dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(Path.of(dir).toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return "";
        }
        return out;
    }
}
