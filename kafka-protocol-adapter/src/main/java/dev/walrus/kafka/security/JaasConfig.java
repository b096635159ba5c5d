package dev.walrus.kafka.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One login module entry of a {@code sasl.jaas.config} value, as Kafka reads it:
 * {@code <LoginModule class> <flag> key="value" key2=value2;}.
 *
 * @param loginModule the login module's class name
 * @param options its options, in order
 */
record JaasConfig(String loginModule, Map<String, String> options) {

    /** Parses the first entry; a value that is not one is an {@link IllegalArgumentException} saying what is wrong. */
    static JaasConfig parse(String key, String text) {
        Tokens t = new Tokens(key, text.trim());
        String module = t.word();
        String flag = t.word();
        if (!flag.equals("required") && !flag.equals("requisite") && !flag.equals("sufficient") && !flag.equals("optional")) {
            throw new IllegalArgumentException("Invalid JAAS config in " + key + ": login module control flag not "
                    + "specified or invalid: " + flag);
        }
        Map<String, String> options = new LinkedHashMap<>();
        while (!t.atEnd() && t.peek() != ';') {
            String name = t.word();
            t.expect('=');
            options.put(name, t.value());
        }
        if (t.atEnd()) {
            throw new IllegalArgumentException("Invalid JAAS config in " + key + ": it must end with ';'");
        }
        return new JaasConfig(module, options);
    }

    /** A tiny tokenizer over the JAAS syntax: words, '=', quoted values, ';'. */
    private static final class Tokens {
        private final String key;
        private final String text;
        private int at;

        Tokens(String key, String text) {
            this.key = key;
            this.text = text;
        }

        boolean atEnd() {
            skipSpaces();
            return at >= text.length();
        }

        char peek() {
            skipSpaces();
            return text.charAt(at);
        }

        void expect(char c) {
            if (atEnd() || text.charAt(at) != c) {
                throw new IllegalArgumentException("Invalid JAAS config in " + key + ": expected '" + c + "' at " + at);
            }
            at++;
        }

        String word() {
            skipSpaces();
            int start = at;
            while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && "=;\"".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("Invalid JAAS config in " + key + ": expected a name at " + at);
            }
            return text.substring(start, at);
        }

        String value() {
            skipSpaces();
            if (at < text.length() && text.charAt(at) == '"') {
                StringBuilder v = new StringBuilder();
                at++;
                while (at < text.length() && text.charAt(at) != '"') {
                    char c = text.charAt(at++);
                    if (c == '\\' && at < text.length()) {
                        c = text.charAt(at++);
                    }
                    v.append(c);
                }
                expect('"');
                return v.toString();
            }
            return word();
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
