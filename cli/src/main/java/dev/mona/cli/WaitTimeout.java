package dev.mona.cli;

import picocli.CommandLine;

/**
 * {@code --timeout SECONDS} of {@code run}, {@code sweep} and {@code watch}: a whole number from 1 to
 * {@link #MAX_SECONDS} (30 days), checked while parsing, so a bad value is rejected (exit 2) before anything is
 * submitted.
 */
final class WaitTimeout implements CommandLine.ITypeConverter<Long> {
    /** 30 days: longer than any run or sweep this system is sized for, and far from overflowing a deadline. */
    static final long MAX_SECONDS = 30L * 24 * 3600;

    @Override
    public Long convert(String value) {
        long s;
        try {
            s = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number of seconds");
        }
        if (s < 1 || s > MAX_SECONDS) {
            throw new CommandLine.TypeConversionException("'" + value + "' is outside 1 to " + MAX_SECONDS
                    + " seconds (30 days)");
        }
        return s;
    }
}
