package dev.mona.workers;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * What {@code mona server} writes to {@code <dataDir>/server.json} (mode 600) so that other {@code mona} commands on
 * the machine find the local server.
 */
public record ServerInfo(String temporalAddress, String namespace, String s3Endpoint, String bucket,
                         String accessKey, String secretKey, long pid) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static Path file(Path dataDir) {
        return dataDir.resolve("server.json");
    }

    public void write(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, ".server-", ".json");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            MAPPER.writeValue(tmp.toFile(), this);
            Files.move(tmp, file(dataDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file(dataDir) + ": " + e.getMessage(), e);
        }
    }

    /** The running local server, if its file exists and its Temporal port answers. */
    public static Optional<ServerInfo> find(Path dataDir) {
        Path f = file(dataDir);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            ServerInfo s = MAPPER.readValue(f.toFile(), ServerInfo.class);
            String[] hp = s.temporalAddress().split(":");
            return Ports.answers(hp[0], Integer.parseInt(hp[1]), 1000) ? Optional.of(s) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
