package dev.walrus.kafka.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Kafka's {@code ssl.principal.mapping.rules} (KIP-371): how the subject of a client certificate (its distinguished
 * name in RFC 2253 form) becomes the user name of an SSL client. The rules are tried in order, separated by commas:
 * <ul>
 *   <li>{@code DEFAULT}: the distinguished name itself (the default value is this one rule);</li>
 *   <li>{@code RULE:<pattern>/<replacement>/[L|U]}: if the Java regular expression matches the whole name, the name
 *       with it replaced (group references {@code $n}; one naming a group the pattern does not have is kept as text,
 *       as Kafka does), then lower- or upper-cased with {@code L} or {@code U}. A {@code /} or {@code ,} inside the
 *       pattern or replacement is written {@code \/}; a comma in a pattern needs no escape.</li>
 * </ul>
 * A name no rule matches has no principal: Kafka then refuses the connection.
 */
public final class SslPrincipalMapping {

    /** Kafka's default: the distinguished name as it is. */
    public static final SslPrincipalMapping DEFAULT = parse("DEFAULT");

    private final List<Rule> rules;
    private final String text;

    private SslPrincipalMapping(List<Rule> rules, String text) {
        this.rules = List.copyOf(rules);
        this.text = text;
    }

    /** @throws IllegalArgumentException with Kafka's "Invalid rule" message for a rule it cannot read */
    public static SslPrincipalMapping parse(String rules) {
        return new SslPrincipalMapping(new Parser(rules.trim()).rules(), rules.trim());
    }

    /** The user name for a certificate subject, or empty when no rule applies. */
    public Optional<String> nameOf(String distinguishedName) {
        for (Rule rule : rules) {
            Optional<String> name = rule.apply(distinguishedName);
            if (name.isPresent()) {
                return name;
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }

    /** One rule: {@code pattern} null for DEFAULT. */
    private record Rule(Pattern pattern, String replacement, boolean lower, boolean upper) {

        Optional<String> apply(String name) {
            if (pattern == null) {
                return Optional.of(name);
            }
            Matcher matcher = pattern.matcher(name);
            if (!matcher.matches()) {
                return Optional.empty();
            }
            // every match, as String.replaceAll gives it: Kafka applies the rule that way
            String result = pattern.matcher(name).replaceAll(literalMissingGroups(replacement, matcher.groupCount()));
            return Optional.of(lower ? result.toLowerCase(Locale.ENGLISH) : upper ? result.toUpperCase(Locale.ENGLISH) : result);
        }

        /**
         * A {@code $n} whose first digit names no group of the pattern becomes literal text (Java would throw). Java
         * itself reads further digits only while they still name a group, so the first digit decides.
         */
        private static String literalMissingGroups(String replacement, int groups) {
            StringBuilder out = new StringBuilder(replacement.length() + 4);
            for (int i = 0; i < replacement.length(); i++) {
                char c = replacement.charAt(i);
                if (c == '\\' && i + 1 < replacement.length()) {
                    out.append(c).append(replacement.charAt(++i));
                } else if (c == '$' && i + 1 < replacement.length() && Character.isDigit(replacement.charAt(i + 1))
                        && replacement.charAt(i + 1) - '0' > groups) {
                    out.append("\\$");
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }

    /** Reads the rules left to right: {@code DEFAULT} or {@code RULE:p/r/[LU]}, separated by commas. */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        List<Rule> rules() {
            List<Rule> rules = new ArrayList<>();
            skipSpaces();
            while (at < text.length()) {
                int start = at;
                if (text.startsWith("DEFAULT", at)) {
                    at += "DEFAULT".length();
                    rules.add(new Rule(null, null, false, false));
                } else if (text.startsWith("RULE:", at)) {
                    at += "RULE:".length();
                    String pattern = untilSlash(start);
                    String replacement = untilSlash(start);
                    boolean lower = next('L');
                    boolean upper = !lower && next('U');
                    rules.add(rule(pattern, replacement, lower, upper, start));
                } else if (text.charAt(at) != ',') {
                    throw invalid(start, ruleEnd(start));
                }
                skipSpaces();
                if (at < text.length()) {
                    if (text.charAt(at) != ',') {
                        throw invalid(start, ruleEnd(start));
                    }
                    at++;   // an empty rule between two commas is ignored, as in Kafka
                    skipSpaces();
                }
            }
            return rules;
        }

        private Rule rule(String pattern, String replacement, boolean lower, boolean upper, int start) {
            try {
                return new Rule(Pattern.compile(pattern), replacement, lower, upper);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("Invalid rule: " + text.substring(start, ruleEnd(start)) + ": "
                        + e.getDescription(), e);
            }
        }

        /** The text up to the next unescaped slash, which is consumed; escapes are kept for the regex engine. */
        private String untilSlash(int ruleStart) {
            int from = at;
            while (at < text.length() && text.charAt(at) != '/') {
                at += text.charAt(at) == '\\' && at + 1 < text.length() ? 2 : 1;
            }
            if (at >= text.length()) {
                throw new IllegalArgumentException("Invalid rule: " + text.substring(ruleStart));
            }
            return text.substring(from, at++);
        }

        private boolean next(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private int ruleEnd(int start) {
            int comma = text.indexOf(',', Math.max(at, start));
            return comma < 0 ? text.length() : comma;
        }

        /** Kafka's message: the rule, and what of it could not be read (all of it if it did not start right). */
        private IllegalArgumentException invalid(int start, int end) {
            String rule = text.substring(start, end).trim();
            String unmatched = at > start && at < end ? text.substring(at, end).trim() : rule;
            return new IllegalArgumentException("Invalid rule: `" + rule + "`, unmatched substring: `" + unmatched + "`");
        }
    }
}
