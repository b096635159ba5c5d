package dev.walrus.kafka.quota;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractResponse;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The throttle time field of any response, for a quota that applies to every API (Kafka's request quota, KIP-124):
 * raising it to a throttle time (Kafka answers the larger of an API's own throttle and the request throttle), and
 * whether a client of that version waits out a throttle itself (KIP-219) or must get the answer that much later.
 *
 * <p>The generated response classes share no interface for the field, so its accessors are looked up once per class.
 */
public final class ResponseThrottleTime {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

    /** The getter and setter of a response class's throttle time; null where the class has none. */
    private record Accessors(MethodHandle getter, MethodHandle setter) {}

    private static final ClassValue<Accessors> ACCESSORS = new ClassValue<>() {
        @Override
        protected Accessors computeValue(Class<?> type) {
            try {
                return new Accessors(LOOKUP.findVirtual(type, "throttleTimeMs", MethodType.methodType(int.class)),
                        LOOKUP.findVirtual(type, "setThrottleTimeMs", MethodType.methodType(type, int.class)));
            } catch (ReflectiveOperationException none) {
                return null;
            }
        }
    };

    /** Whether a client throttles itself, by API and version (Kafka's {@code AbstractResponse.shouldClientThrottle}). */
    private static final Map<Integer, Boolean> CLIENT_THROTTLES = new ConcurrentHashMap<>();

    private ResponseThrottleTime() {}

    /**
     * {@code answer}, {@code ms} from now: how a throttled answer goes to a client older than KIP-219, which does not
     * wait out a throttle itself (Kafka's broker held the answer back that long). At once if {@code ms} is not above 0.
     */
    public static <T> CompletableFuture<T> heldBack(T answer, int ms) {
        if (ms <= 0) {
            return CompletableFuture.completedFuture(answer);
        }
        return CompletableFuture.supplyAsync(() -> answer, CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
    }

    /** {@code response}'s throttle time, or 0 if it has no such field. */
    public static int of(ApiMessage response) {
        Accessors accessors = ACCESSORS.get(response.getClass());
        if (accessors == null) {
            return 0;
        }
        try {
            return (int) accessors.getter().invoke(response);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the throttle time of " + response.getClass().getSimpleName(), e);
        }
    }

    /**
     * Raises {@code response}'s throttle time to {@code throttleMs} if it is lower; the throttle time it had, or -1 if
     * the response has no such field (nothing raised).
     */
    public static int raise(ApiMessage response, int throttleMs) {
        Accessors accessors = ACCESSORS.get(response.getClass());
        if (accessors == null) {
            return -1;
        }
        try {
            int before = (int) accessors.getter().invoke(response);
            if (before < throttleMs) {
                accessors.setter().invoke(response, throttleMs);
            }
            return before;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot set the throttle time of " + response.getClass().getSimpleName(), e);
        }
    }

    /**
     * Whether a client waits out the throttle time of this API's answer at {@code version} itself (KIP-219); if not,
     * the broker answers that much later, as Kafka's broker does for such clients.
     */
    public static boolean clientThrottles(ApiKeys key, short version) {
        return CLIENT_THROTTLES.computeIfAbsent(key.id << 16 | version, k -> {
            try {
                ApiMessage empty = key.messageType.newResponse();
                AbstractResponse response = AbstractResponse.parseResponse(key,
                        MessageUtil.toByteBufferAccessor(empty, version), version);
                return response.shouldClientThrottle(version);
            } catch (RuntimeException notEncodable) {
                return true; // the response's defaults do not encode at this version: no throttle field to consult
            }
        });
    }
}
