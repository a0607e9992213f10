package dev.mona.workers;

import dev.mona.workflows.RunIndex;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Registers mona's search attributes ({@link RunIndex#KEYS}) in the client's namespace through Temporal's operator
 * service: the local server always allows it; on a cluster it needs an operator's rights (the Helm chart's setup
 * step has them). Without them the attributes stay undefined and runs carry their memo only
 * ({@link Submissions}), which is logged, never fatal.
 */
public final class SearchAttributeSetup {
    private static final Logger LOG = LoggerFactory.getLogger(SearchAttributeSetup.class);

    private SearchAttributeSetup() {}

    /**
     * Defines the attributes the server lacks; true when all are defined afterwards. Submitting calls it too: the
     * test server accepts undefined attributes at start and fails only the workflow's later upsert, so a start must
     * know beforehand.
     */
    public static boolean ensure(WorkflowClient client) {
        String namespace = client.getOptions().getNamespace();
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder(
                client.getWorkflowServiceStubs().getOptions())
                .setChannel(client.getWorkflowServiceStubs().getRawChannel()).build());
        try {
            Set<String> defined = defined(operator, namespace);
            Map<String, IndexedValueType> missing = new LinkedHashMap<>();
            for (SearchAttributeKey<?> k : RunIndex.KEYS) {
                if (!defined.contains(k.getName())) {
                    missing.put(k.getName(), k.getValueType());
                }
            }
            if (missing.isEmpty()) {
                return true;
            }
            operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                    .setNamespace(namespace).putAllSearchAttributes(missing).build());
            LOG.info("registered search attributes {} in namespace {}", missing.keySet(), namespace);
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                return true; // a server that cannot list them (the test server) says so when they exist
            }
            LOG.warn("cannot register search attributes {} in namespace {} ({}): runs carry their memo only; an "
                    + "operator can register them with 'temporal operator search-attribute create'", RunIndex.KEYS,
                    namespace, e.getStatus());
            return false;
        } finally {
            operator.shutdown();
        }
    }

    /** The attribute names the server lists; none when it cannot list them. */
    private static Set<String> defined(OperatorServiceStubs operator, String namespace) {
        try {
            return operator.blockingStub().listSearchAttributes(ListSearchAttributesRequest.newBuilder()
                    .setNamespace(namespace).build()).getCustomAttributesMap().keySet();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return Set.of();
            }
            throw e;
        }
    }
}
