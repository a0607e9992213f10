package dev.mona.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times on the command line ({@code ls --since}, {@code gc --older-than}): an age such as {@code 90s}, {@code 30m},
 * {@code 12h}, {@code 7d}, or a point in time as an ISO date ({@code 2026-12-01}, midnight UTC) or instant
 * ({@code 2026-12-01T08:00:00Z}).
 */
final class TimeSpec {
    private TimeSpec() {}

    private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");

    /** The instant {@code spec} names: now minus an age, or the date or instant given. */
    static Instant instant(String option, String spec) {
        Matcher m = AGE.matcher(spec.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().minus(d);
        }
        try {
            return spec.contains("T") ? Instant.parse(spec.strip())
                    : LocalDate.parse(spec.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new CliException(ExitCodes.BAD_INPUT, option + " '" + spec + "' is neither an age (90s, 30m, 12h, "
                    + "7d) nor an ISO date or instant (2026-12-01, 2026-12-01T08:00:00Z)");
        }
    }
}
