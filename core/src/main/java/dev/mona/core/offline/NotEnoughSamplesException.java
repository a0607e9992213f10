package dev.mona.core.offline;

import dev.mona.core.UserError;

/**
 * More samples were asked of a data set than it holds in all: names the number asked and the maximum. (A class
 * with too few samples is not an error: selections are as class-balanced as the classes allow, see
 * {@link Splits#balancedCounts}.)
 */
public final class NotEnoughSamplesException extends IllegalArgumentException implements UserError {
    private final String what;
    private final long asked;
    private final long available;

    /**
     * @param what      the data set, e.g. {@code SpamAssassin e-mails}
     * @param asked     samples asked for
     * @param available samples it holds (the most one can ask for)
     */
    public NotEnoughSamplesException(String what, long asked, long available) {
        super(what + ": asked for " + asked + " samples but only " + available + " exist; ask for at most "
                + available);
        this.what = what;
        this.asked = asked;
        this.available = available;
    }

    /** The data set. */
    public String what() {
        return what;
    }

    /** Samples asked for. */
    public long asked() {
        return asked;
    }

    /** The most samples that can be asked for. */
    public long available() {
        return available;
    }

    @Override
    public Kind kind() {
        return Kind.IMPOSSIBLE_SIZE;
    }
}
