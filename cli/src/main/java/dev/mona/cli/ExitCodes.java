package dev.mona.cli;

/** The documented exit codes of every {@code mona} verb. */
public final class ExitCodes {
    private ExitCodes() {}

    /** Success (for {@code --wait}: the run completed). */
    public static final int OK = 0;
    /** The run or sweep failed, was cancelled or terminated (a sweep: at least one of its runs failed). */
    public static final int RUN_FAILED = 1;
    /**
     * Bad input: unknown task/method/verb/option, malformed sweep spec or override, a value out of its documented
     * bounds, a malformed run id or store key, a feature this build lacks.
     */
    public static final int BAD_INPUT = 2;
    /**
     * Environment: server or artifact store unreachable, missing credentials, unreadable configuration, a port in use,
     * an output file that cannot be written.
     */
    public static final int ENVIRONMENT = 3;
    /** Not found: no such run, sweep or artifact. */
    public static final int NOT_FOUND = 4;
    /** Not finished: {@code --timeout} expired while waiting, or results asked of a run still in progress. */
    public static final int NOT_FINISHED = 5;
    /** Internal error: a bug, reported with its stack trace. */
    public static final int INTERNAL = 70;
    /** Interrupted (Ctrl-C). */
    public static final int INTERRUPTED = 130;

    /** The text shown under "Exit codes" in every verb's help. */
    public static final String HELP = "%nExit codes:%n"
            + "  0    success (with --wait: the run completed)%n"
            + "  1    the run or sweep failed, was cancelled or terminated%n"
            + "  2    bad input: unknown task/method/option, malformed sweep spec, value out of bounds,%n"
            + "       malformed run id or store key, unavailable feature%n"
            + "  3    environment: server or store unreachable, missing credentials, bad config file,%n"
            + "       port in use, output file not writable%n"
            + "  4    not found: no such run, sweep or artifact%n"
            + "  5    not finished: --timeout expired, or the run is still in progress%n"
            + "  130  interrupted%n";
}
