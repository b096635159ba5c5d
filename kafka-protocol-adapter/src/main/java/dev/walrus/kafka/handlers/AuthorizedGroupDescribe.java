package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.AuthorizedOperations;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The authorization every group describe API of the heartbeat protocols applies in the same order (Kafka 4.4's
 * broker does it so for ConsumerGroupDescribe and StreamsGroupDescribe): DESCRIBE on each requested group, the others
 * answered GROUP_AUTHORIZATION_FAILED and listed first; the authorized ones described by the coordinator (which
 * answers an empty id, an unknown group or one of another type itself); the authorized operations of each group
 * described without error, when asked; and, with an authorizer, a group that names a topic the client may not
 * describe replaced by TOPIC_AUTHORIZATION_FAILED. Without an authorizer every check passes, so one path serves both.
 *
 * @param <G> the API's generated DescribedGroup message (they share no interface, hence the accessors)
 */
final class AuthorizedGroupDescribe<G> {

    /** Kafka's message for a group replaced because it names a topic the client may not describe. */
    static final String UNDESCRIBABLE_TOPICS =
            "The group has described topic(s) that the client is not authorized to describe.";

    /** Makes the API's DescribedGroup that answers a group with an error only. */
    interface ErrorEntry<G> {
        G of(String groupId, Errors error, String message);
    }

    private final Function<G, String> groupId;
    private final ToIntFunction<G> errorCode;
    private final ObjIntConsumer<G> setAuthorizedOperations;
    private final ErrorEntry<G> errorEntry;

    AuthorizedGroupDescribe(Function<G, String> groupId, ToIntFunction<G> errorCode,
                            ObjIntConsumer<G> setAuthorizedOperations, ErrorEntry<G> errorEntry) {
        this.groupId = groupId;
        this.errorCode = errorCode;
        this.setAuthorizedOperations = setAuthorizedOperations;
        this.errorEntry = errorEntry;
    }

    /**
     * @param describe the coordinator's describe of the authorized group ids, one entry per id in their order
     * @param topicsDescribable whether every topic a described group names may be described (asked only with an
     *     authorizer)
     * @return the response's groups
     */
    CompletableFuture<List<G>> answer(RequestContext context, List<String> groupIds, boolean includeAuthorizedOperations,
                                      Function<List<String>, CompletableFuture<List<G>>> describe,
                                      Predicate<G> topicsDescribable) {
        List<G> answer = new ArrayList<>(groupIds.size());
        List<String> authorized = new ArrayList<>(groupIds.size());
        for (String id : groupIds) {
            if (context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, id)) {
                authorized.add(id);
            } else {
                answer.add(errorEntry.of(id, Errors.GROUP_AUTHORIZATION_FAILED, null));
            }
        }
        boolean checkTopics = context.authorizer().enabled();
        return describe.apply(authorized).thenApply(groups -> {
            for (G group : groups) {
                String id = groupId.apply(group);
                if (includeAuthorizedOperations && errorCode.applyAsInt(group) == Errors.NONE.code()) {
                    // without an authorizer: every operation a group supports, as Kafka answers
                    setAuthorizedOperations.accept(group, AuthorizedOperations.group(context, id));
                }
                answer.add(!checkTopics || topicsDescribable.test(group) ? group
                        : errorEntry.of(id, Errors.TOPIC_AUTHORIZATION_FAILED, UNDESCRIBABLE_TOPICS));
            }
            return answer;
        });
    }
}
