package dev.mona.activities.store;

import dev.mona.workflows.InvalidRequestException;

/**
 * An {@code s3://BUCKET/KEY} address: a bucket on the configured store's endpoint (read with its credentials) and a
 * key or key prefix in it.
 *
 * @param bucket the bucket
 * @param key    the key (or prefix), without a leading '/'
 */
public record S3Location(String bucket, String key) {
    /** The scheme every address starts with. */
    public static final String SCHEME = "s3://";

    /** Parses {@code s3://BUCKET/KEY}; {@code what} names the value in the error. */
    public static S3Location parse(String uri, String what) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw new InvalidRequestException(what + " '" + uri + "' must be an s3://BUCKET/KEY address");
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new InvalidRequestException(what + " '" + uri + "': '" + bucket + "' is not a valid bucket name "
                    + "(3 to 63 lower-case letters, digits, '.' or '-')");
        }
        return new S3Location(bucket, slash < 0 ? "" : rest.substring(slash + 1));
    }

    /** {@code s3://BUCKET/KEY}. */
    public String uri() {
        return SCHEME + bucket + "/" + key;
    }
}
