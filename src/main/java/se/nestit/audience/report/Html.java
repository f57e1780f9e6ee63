package se.nestit.audience.report;

import java.util.Locale;
import java.util.regex.Pattern;

/** Text made safe for an HTML page: escaped, and without anything that could point at a person. */
final class Html {

    private static final Pattern HASH = Pattern.compile("\\b[0-9a-fA-F]{64}\\b");
    private static final Pattern EMAIL = Pattern.compile("[^\\s<>\"'(),;:]+@[^\\s<>\"'(),;:]+");

    private Html() {}

    /** Escapes text for an element's content or a quoted attribute value. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A network's or a guardrail's message, escaped, with hashes and anything shaped like an email
     * replaced: some messages name the hashes a network refused, and the page holds counts only.
     */
    static String message(String text) {
        return escape(EMAIL.matcher(HASH.matcher(text).replaceAll("<hash>")).replaceAll("<email>"));
    }

    /** A count with thousands grouped: {@code 12,345}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
