package ocigeo.rehearsal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.server.authorizer.AclCreateResult;
import org.apache.kafka.server.authorizer.AclDeleteResult;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;
import org.apache.kafka.server.authorizer.AuthorizerServerInfo;

/**
 * {@code authorizer.class.name}: allows every operation (authentication is the SASL listener's
 * job) except what idempotent and transactional producers need, which OCI Streaming does not
 * offer.
 *
 * <ul>
 *   <li>any operation on a {@code TRANSACTIONAL_ID} is denied: a transactional producer fails in
 *       {@code initTransactions()} (FindCoordinator/InitProducerId) with
 *       {@code TransactionalIdAuthorizationException};</li>
 *   <li>{@code IDEMPOTENT_WRITE} on the cluster is denied <em>and</em>
 *       {@link #authorizeByResourceType} denies {@code WRITE} on topics. Since KIP-679 (Kafka 2.8+),
 *       {@code KafkaApis.handleInitProducerIdRequest} grants a non-transactional InitProducerId
 *       when the principal has IDEMPOTENT_WRITE on the cluster <em>or</em> WRITE on any topic
 *       ({@code authorizeByResourceType(WRITE, TOPIC)}); InitProducerId is that method's only
 *       caller, so denying it there refuses idempotent producers without touching plain
 *       produce.</li>
 * </ul>
 *
 * <p>OCI answers InitProducerId with {@code UnsupportedVersionException} (the API is not
 * advertised). A stock broker cannot hide one API from ApiVersions, so the stand-in error a client
 * sees here is {@code ClusterAuthorizationException} (idempotent) or
 * {@code TransactionalIdAuthorizationException} (transactional). Either way the producer is
 * fatally failed before its first record is written, which is what matters for MirrorMaker.
 *
 * <p>ACL management APIs are refused: OCI Streaming uses IAM policies, not Kafka ACLs.
 */
public class OciAuthorizer implements Authorizer {
    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public Map<Endpoint, ? extends CompletionStage<Void>> start(AuthorizerServerInfo serverInfo) {
        Map<Endpoint, CompletableFuture<Void>> ready = new HashMap<>();
        for (Endpoint endpoint : serverInfo.endpoints()) {
            ready.put(endpoint, CompletableFuture.completedFuture(null));
        }
        return ready;
    }

    static boolean denied(AclOperation operation, ResourceType resourceType) {
        if (resourceType == ResourceType.TRANSACTIONAL_ID) {
            return true;
        }
        return resourceType == ResourceType.CLUSTER && operation == AclOperation.IDEMPOTENT_WRITE;
    }

    @Override
    public List<AuthorizationResult> authorize(AuthorizableRequestContext requestContext, List<Action> actions) {
        List<AuthorizationResult> results = new ArrayList<>(actions.size());
        for (Action action : actions) {
            boolean deny = denied(action.operation(), action.resourcePattern().resourceType());
            results.add(deny ? AuthorizationResult.DENIED : AuthorizationResult.ALLOWED);
        }
        return results;
    }

    @Override
    public AuthorizationResult authorizeByResourceType(AuthorizableRequestContext requestContext, AclOperation op,
                                                       ResourceType resourceType) {
        if (resourceType == ResourceType.TOPIC && (op == AclOperation.WRITE || op == AclOperation.ALL)) {
            return AuthorizationResult.DENIED;
        }
        return denied(op, resourceType) ? AuthorizationResult.DENIED : AuthorizationResult.ALLOWED;
    }

    @Override
    public List<? extends CompletionStage<AclCreateResult>> createAcls(AuthorizableRequestContext requestContext,
                                                                       List<AclBinding> aclBindings) {
        List<CompletableFuture<AclCreateResult>> results = new ArrayList<>();
        for (int i = 0; i < aclBindings.size(); i++) {
            results.add(CompletableFuture.completedFuture(new AclCreateResult(
                new InvalidRequestException("Kafka ACLs are not supported by OCI Streaming (use IAM policies)"))));
        }
        return results;
    }

    @Override
    public List<? extends CompletionStage<AclDeleteResult>> deleteAcls(AuthorizableRequestContext requestContext,
                                                                       List<AclBindingFilter> aclBindingFilters) {
        List<CompletableFuture<AclDeleteResult>> results = new ArrayList<>();
        for (int i = 0; i < aclBindingFilters.size(); i++) {
            results.add(CompletableFuture.completedFuture(new AclDeleteResult(Collections.emptyList())));
        }
        return results;
    }

    @Override
    public Iterable<AclBinding> acls(AclBindingFilter filter) {
        return Collections.emptyList();
    }

    @Override
    public void close() {
    }
}
