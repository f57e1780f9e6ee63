package se.nestit.audience.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
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

    /*
     * Numbers are written without java.util.Formatter: a page has hundreds of them, and each
     * String.format parsed its pattern and built the locale's symbols anew, a fifth of a second of
     * the run's end in all. They read as String.format(Locale.ROOT, ...) wrote them.
     */

    /** A count with thousands grouped, as {@code %,d} writes it: {@code 12,345}. */
    static String count(long n) {
        String digits = Long.toString(n);
        int first = n < 0 ? 1 : 0;
        StringBuilder s = new StringBuilder(digits.length() + digits.length() / 3);
        s.append(digits, 0, first);
        for (int i = first; i < digits.length(); i++) {
            if (i > first && (digits.length() - i) % 3 == 0) {
                s.append(',');
            }
            s.append(digits.charAt(i));
        }
        return s.toString();
    }

    /**
     * {@code v} with {@code places} decimals, as {@code %.<places>f} writes it: the shortest decimal
     * that reads back as {@code v}, rounded half up, and a minus sign kept on a negative value that
     * rounds to zero.
     */
    static String decimals(double v, int places) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
        }
        BigDecimal d = BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_UP);
        String s = d.toPlainString();
        return d.signum() == 0 && Double.doubleToRawLongBits(v) < 0 ? "-" + s : s;
    }
}
