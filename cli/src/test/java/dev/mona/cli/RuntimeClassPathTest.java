package dev.mona.cli;

import dev.mona.workers.ClusterConfig;
import dev.mona.workers.LocalStack;
import dev.mona.workflows.Queues;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.TransferWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Guards the dependency pins: on the CLI's full runtime class path (DJL, ONNX Runtime, s3proxy, MinIO, Temporal),
 * a duplicate start still decodes as {@link WorkflowExecutionAlreadyStarted} (it needs the gRPC error details).
 */
class RuntimeClassPathTest {
    @TempDir
    Path tmp;

    @Test
    void duplicateStartDecodesAsWorkflowExecutionAlreadyStarted() throws Exception {
        for (String c : new String[]{"ai.djl.pytorch.engine.PtEngine", "ai.onnxruntime.OrtEnvironment",
                "org.gaul.s3proxy.S3Proxy", "io.minio.MinioClient", "com.google.rpc.ErrorInfo"}) {
            assertNotNull(Class.forName(c, false, getClass().getClassLoader()), c);
        }
        ClusterConfig cfg = ClusterConfig.load(null, Map.of("MONA_DATA_DIR", tmp.toString()));
        try (LocalStack stack = LocalStack.start(cfg, 0, 0)) {
            TransferRequest r = new TransferRequest("offline-pde-darcy", TransferMethod.FT, 0, "",
                    Map.of("epochs", "30", "limit", "12"), false, null);
            WorkflowOptions o = WorkflowOptions.newBuilder().setWorkflowId("dup-" + r.workflowId())
                    .setTaskQueue(Queues.CPU).build();
            WorkflowClient.start(stack.client().newWorkflowStub(TransferWorkflow.class, o)::run, r);
            TransferWorkflow second = stack.client().newWorkflowStub(TransferWorkflow.class, o);
            WorkflowExecutionAlreadyStarted e = assertThrows(WorkflowExecutionAlreadyStarted.class,
                    () -> WorkflowClient.start(second::run, r));
            assertEquals("dup-" + r.workflowId(), e.getExecution().getWorkflowId());
            stack.client().newUntypedWorkflowStub("dup-" + r.workflowId()).terminate("test over");
        }
    }
}
