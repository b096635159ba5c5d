package dev.walrus.kafka.handlers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.protocol.Errors;

/**
 * A request's topics split by a verdict on each: those passed on to the coordinator, and those answered at once with
 * an error (the offset handlers refuse, under an authorizer, the topics a client may not read, and pass the rest on,
 * as Kafka's request handlers do).
 *
 * @param passed  the topics with no error, in the request's order: the asked collection itself when none is refused
 * @param refused each refused topic with its error, in the request's order
 */
record TopicSplit<T>(Collection<T> passed, List<Refused<T>> refused) {

    record Refused<T>(T topic, Errors error) {}

    /** {@code verdict} gives {@link Errors#NONE} for a topic to pass on. No copy is made when none is refused. */
    static <T> TopicSplit<T> of(Collection<T> asked, Function<T, Errors> verdict) {
        List<T> passed = null;
        List<Refused<T>> refused = List.of();
        int seen = 0;
        for (T topic : asked) {
            Errors error = verdict.apply(topic);
            if (error == Errors.NONE) {
                if (passed != null) {
                    passed.add(topic);
                }
            } else {
                if (passed == null) { // the first refusal: every topic before it passed
                    passed = new ArrayList<>();
                    Iterator<T> earlier = asked.iterator();
                    for (int i = 0; i < seen; i++) {
                        passed.add(earlier.next());
                    }
                    refused = new ArrayList<>();
                }
                refused.add(new Refused<>(topic, error));
            }
            seen++;
        }
        return new TopicSplit<>(passed == null ? asked : passed, refused);
    }

    boolean anyRefused() {
        return !refused.isEmpty();
    }
}
