package dev.walrus.kafka.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An unsecured JSON Web Token (RFC 7519 with {@code "alg":"none"} and no signature), as Kafka's unsecured
 * OAUTHBEARER login makes them for development: three base64url parts, the last empty. Only the claims are read:
 * strings, numbers and lists of strings (other values are kept as their text).
 */
final class UnsecuredJwt {

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Object> claims;

    private UnsecuredJwt(Map<String, Object> claims) {
        this.claims = claims;
    }

    /** @throws IllegalArgumentException saying why {@code token} is not an unsecured JWT */
    static UnsecuredJwt parse(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("an unsecured JWS has three parts, this one " + parts.length);
        }
        if (!parts[2].isEmpty()) {
            throw new IllegalArgumentException("an unsecured JWS has no signature");
        }
        object(parts[0]);   // the header must be a JSON object too
        return new UnsecuredJwt(object(parts[1]));
    }

    Object claim(String name) {
        return claims.get(name);
    }

    private static Map<String, Object> object(String part) {
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64url: " + e.getMessage());
        }
        try (JsonParser parser = JSON.createParser(new String(json, StandardCharsets.UTF_8))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<String, Object> values = new HashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                values.put(name, value(parser, parser.nextToken()));
            }
            return values;
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
    }

    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case START_ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    items.add(value(parser, t));
                }
                yield items;
            }
            case START_OBJECT -> {
                parser.skipChildren();
                yield "{...}";
            }
            default -> parser.getText();
        };
    }
}
