package dev.mona.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@code mona completion}: the bash script completes verbs and options when bash runs it; zsh gets bashcompinit. */
class CompletionTest {
    @TempDir
    Path tmp;

    @Test
    void bashCompletesVerbsAndOptions() throws Exception {
        Cli.Result r = Cli.run(Map.of(), "completion", "bash");
        assertEquals(0, r.code(), r.toString());
        Path script = Files.writeString(tmp.resolve("mona.bash"), r.out());
        assertEquals(List.of("status"), complete(script, "mona stat"));
        assertEquals(List.of("completion"), complete(script, "mona compl"));
        assertEquals(List.of("--state"), complete(script, "mona ls --sta"));
        assertTrue(complete(script, "mona ls --s").containsAll(List.of("--since", "--state", "--sweep")));
    }

    @Test
    void zshLoadsTheBashScriptThroughBashcompinit() {
        Cli.Result r = Cli.run(Map.of(), "completion", "zsh");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && "
                + "bashcompinit\n"), r.out());
        assertTrue(r.out().contains("complete -F _complete_mona"), r.out());
    }

    @Test
    void unknownShellsAndDataFormatsAreBadInput() {
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(Map.of(), "completion", "fish").code());
        Cli.Result json = Cli.run(Map.of(), "completion", "bash", "--format", "json");
        assertEquals(ExitCodes.BAD_INPUT, json.code(), json.toString());
        assertTrue(json.err().contains("'mona completion' does not write json; use --format table"), json.err());
    }

    /** The candidates bash's completion function offers for {@code line} (the cursor at its end). */
    private static List<String> complete(Path script, String line) throws Exception {
        String words = "(" + line + (line.endsWith(" ") ? "''" : "") + ")";
        String program = "source " + script + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length()
                + "; COMP_WORDS=" + words + "; COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _complete_mona; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"";
        // stderr dropped: outside an interactive completion bash warns that compopt has no effect
        Process p = new ProcessBuilder("bash", "-c", program).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out.lines().filter(l -> !l.isBlank()).map(String::strip).sorted().toList();
    }
}
