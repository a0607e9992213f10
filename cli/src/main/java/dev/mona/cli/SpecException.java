package dev.mona.cli;

/** A sweep specification file that cannot be used: names the file, the key and what to write instead. */
public class SpecException extends CliException {
    public SpecException(String message) {
        super(ExitCodes.BAD_INPUT, message);
    }
}
