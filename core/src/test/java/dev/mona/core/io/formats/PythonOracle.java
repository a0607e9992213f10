package dev.mona.core.io.formats;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python snippet that writes reference files with numpy / h5py / scipy (installed by infra/setup.sh);
 * the calling test is skipped, not failed, when they are missing.
 */
final class PythonOracle {
    private PythonOracle() {
    }

    /** The first interpreter (Debian's /usr/bin/python3, then python3 on the PATH) that has all modules. */
    static String require(String... modules) {
        StringBuilder imports = new StringBuilder();
        for (String m : modules) {
            imports.append("import ").append(m).append(";");
        }
        for (String python : new String[]{"/usr/bin/python3", "python3"}) {
            try {
                if (exec(python, imports.toString(), 60).exit == 0) {
                    return python;
                }
            } catch (IOException e) {
                // not installed: try the next one
            }
        }
        Assumptions.abort("python3 with " + String.join(", ", modules)
                + " is not installed (infra/setup.sh installs python3-numpy python3-h5py python3-scipy); skipping");
        return null;
    }

    static void run(String python, String script) throws IOException {
        Result r = exec(python, script, 120);
        if (r.exit != 0) {
            throw new IllegalStateException("python failed (" + r.exit + "): " + r.output);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result exec(String python, String script, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Result(-1, "interrupted");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
