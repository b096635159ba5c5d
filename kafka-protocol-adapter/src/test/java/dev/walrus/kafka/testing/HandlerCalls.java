package dev.walrus.kafka.testing;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.handlers.ApiHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Calls one module's handler as the adapter's dispatcher would, for the fixtures that test a module on its own
 * ({@code MetadataHarness}, {@code GroupFixture}): the request and the response both go through the wire encoding of
 * their version, so a field the version cannot carry is lost exactly as it would be between broker and client.
 * ({@link AdapterHarness} goes one step further and sends whole frames through the adapter.)
 */
public final class HandlerCalls {

    private HandlerCalls() {}

    /** The handler's answer to {@code request} at {@code version}, as a client would decode it. */
    @SuppressWarnings("unchecked")
    public static <R extends ApiMessage> CompletableFuture<R> send(ApiHandler<?> handler, short version,
                                                                  ApiMessage request, String clientId,
                                                                  int correlationId) {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        ApiMessage decodedRequest = throughWire(request, ApiMessageType.fromApiKey(key.id).newRequest(), version);
        RequestHeader header = new RequestHeader(key, version, clientId, correlationId);
        RequestContext context = new RequestContext(1, new InetSocketAddress("127.0.0.1", 40000), "PLAINTEXT");
        return ((ApiHandler<ApiMessage>) handler).handle(header, decodedRequest, context)
                .thenApply(response -> (R) throughWire(response, ApiMessageType.fromApiKey(key.id).newResponse(),
                        version));
    }

    /** Writes {@code message} at {@code version} and reads it back into {@code target}. */
    public static ApiMessage throughWire(ApiMessage message, ApiMessage target, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        target.read(new ByteBufferAccessor(buffer.flip()), version);
        return target;
    }
}
