package dev.mona.workflows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Workflow ids derived from the request: readable prefix plus a digest of everything that changes the result.
 * {@code noCache} and the retry tuning are left out on purpose: they change how, not what, is computed.
 */
public final class WorkflowIds {
    private WorkflowIds() {}

    /** {@code transfer-<task>-<method>-s<seed>-<digest>}. */
    public static String transfer(TransferRequest r) {
        String canonical = "task=" + r.task() + "\nmethod=" + r.method() + "\nseed=" + r.seed() + "\nsource="
                + r.source() + "\n" + canonical(r.overrides());
        return "transfer-" + slug(r.task()) + "-" + r.method().label() + "-s" + r.seed() + "-" + digest(canonical);
    }

    /** {@code sweep-<name>-<digest>}. */
    public static String sweep(SweepRequest r) {
        String canonical = "name=" + r.name() + "\ntasks=" + r.tasks() + "\nseeds=" + r.seeds() + "\nmethods="
                + r.methods() + "\nsource=" + r.source() + "\n" + canonical(r.overrides());
        return "sweep-" + slug(r.name()) + "-" + digest(canonical);
    }

    /** Digest of a request's configuration overrides in canonical form (the memo's {@code configDigest}). */
    public static String configDigest(Map<String, String> overrides) {
        return digest(canonical(overrides));
    }

    private static String canonical(Map<String, String> m) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(m).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    static String slug(String s) {
        String out = s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-");
        return out.isEmpty() ? "x" : out;
    }

    /** First 10 hex digits of SHA-256. */
    public static String digest(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
