package dev.mona.activities.store;

/** No object under the key. */
public class ArtifactNotFoundException extends RuntimeException {
    public ArtifactNotFoundException(String key, String bucket) {
        super("no artifact '" + key + "' in bucket '" + bucket + "'; list keys with 'mona artifacts ls PREFIX'");
    }
}
