package dev.mona.activities.store;

/**
 * Where the artifact store lives.
 *
 * @param endpoint  S3 endpoint URL, e.g. {@code http://127.0.0.1:9000} (MinIO, s3proxy, AWS)
 * @param bucket    bucket holding every artifact (created when missing)
 * @param accessKey access key id
 * @param secretKey secret access key
 * @param region    region, {@code us-east-1} unless the server needs another
 */
public record StoreConfig(String endpoint, String bucket, String accessKey, String secretKey, String region) {
    @Override
    public String toString() {
        // never print the secret
        return "StoreConfig[endpoint=" + endpoint + ", bucket=" + bucket + ", accessKey=" + accessKey + ", region="
                + region + "]";
    }
}
