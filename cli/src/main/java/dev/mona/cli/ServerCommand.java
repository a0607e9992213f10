package dev.mona.cli;

import dev.mona.workers.ClusterConfig;
import dev.mona.workers.LocalStack;
import dev.mona.workers.ServerInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

@Command(name = "server", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Run the local server until stopped: the port-bound Temporal test server and s3proxy on "
                + "127.0.0.1, with the orchestrator and a GPU worker in this process. Other mona commands on this "
                + "machine find it through <data dir>/server.json. Workflow histories live in memory; artifacts "
                + "persist under <data dir>/s3."})
final class ServerCommand extends Verb {
    @Option(names = "--port", defaultValue = "7233",
            description = "Temporal port on 127.0.0.1; 0: a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--s3-port", defaultValue = "9000",
            description = "s3proxy port on 127.0.0.1; 0: a free one (default: ${DEFAULT-VALUE}).")
    int s3Port;

    @Override
    public Integer call() throws Exception {
        for (var p : Map.of("--port", port, "--s3-port", s3Port).entrySet()) {
            if (p.getValue() < 0 || p.getValue() > 65_535) {
                throw new CliException(ExitCodes.BAD_INPUT, p.getKey() + " " + p.getValue()
                        + " is outside 0 to 65535 (0: a free port)");
            }
        }
        if (port != 0 && port == s3Port) {
            throw new CliException(ExitCodes.BAD_INPUT, "--port and --s3-port are both " + port
                    + ": give two different ports");
        }
        ClusterConfig cfg = config();
        if (!cfg.local()) {
            throw new CliException(ExitCodes.BAD_INPUT, "TEMPORAL_ADDRESS is set (" + cfg.temporalAddress()
                    + "): 'mona server' runs the local server only; unset it");
        }
        if (ServerInfo.find(cfg.dataDir()).isPresent()) {
            throw new CliException(ExitCodes.ENVIRONMENT, "a local server is already running (see "
                    + ServerInfo.file(cfg.dataDir()) + ")");
        }
        LocalStack stack = LocalStack.start(cfg, port, s3Port);
        ServerInfo info = stack.info(cfg.namespace());
        info.write(cfg.dataDir());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ServerInfo.file(cfg.dataDir()));
            } catch (java.io.IOException ignored) {
                // a stale file is detected by its dead port
            }
            stack.close();
            stop.countDown();
        }));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("temporalAddress", info.temporalAddress());
        o.put("s3Endpoint", info.s3Endpoint());
        o.put("bucket", info.bucket());
        o.put("dataDir", cfg.dataDir().toString());
        if (json()) {
            printJson(o);
        } else {
            out().println("mona server: Temporal " + info.temporalAddress() + ", S3 " + info.s3Endpoint() + " (bucket "
                    + info.bucket() + ", store " + cfg.dataDir().resolve("s3") + "); Ctrl-C stops it");
            out().flush();
        }
        stop.await();
        return ExitCodes.OK;
    }
}
