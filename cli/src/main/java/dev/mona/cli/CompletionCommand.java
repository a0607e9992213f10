package dev.mona.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.EnumSet;
import java.util.Set;

@Command(name = "completion", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Print the shell completion script for mona's verbs and options.",
                "bash: source <(mona completion bash), or save it under /etc/bash_completion.d/mona.",
                "zsh: source <(mona completion zsh) (the bash script through zsh's bashcompinit)."})
final class CompletionCommand extends Verb {
    /** The shells a script is written for. */
    enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    Set<Format> formats() {
        return EnumSet.of(Format.table); // a script, not data
    }

    @Override
    public Integer call() {
        // completion of the whole command, generated from the same model that parses it
        String script = AutoComplete.bash("mona", spec.root().commandLine());
        if (shell == Shell.zsh) {
            out().println("autoload -U +X compinit && compinit");
            out().println("autoload -U +X bashcompinit && bashcompinit");
        }
        out().print(script);
        out().flush();
        return ExitCodes.OK;
    }
}
