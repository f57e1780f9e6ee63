package se.nestit.audience.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, as node_exporter's textfile
 * collector reads it (the Java client ships a writer only). Anything the format does not allow
 * fails: a sample before its family's TYPE, a family declared twice, a series given twice, a bad
 * name, label or value, a line that is none of HELP, TYPE, comment or sample.
 */
public final class PrometheusText {

    /** One family: its type and help, and its samples by their labels (sorted by name). */
    public record Family(String type, String help, Map<Map<String, String>, Double> samples) {

        /** The value of the one sample with exactly these labels (name, value, ...). */
        public double value(String... labels) {
            Map<String, String> key = new TreeMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                key.put(labels[i], labels[i + 1]);
            }
            Double v = samples.get(key);
            if (v == null) {
                throw new AssertionError("no sample " + key + " in " + samples.keySet());
            }
            return v;
        }
    }

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE =
            Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)})? (\\S+)(?: (-?[0-9]+))?");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Set<String> SUFFIXED = Set.of("histogram", "summary");

    private PrometheusText() {}

    public static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end in a line feed");
        }
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, Family> families = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (helps.put(m.group(1), m.group(2)) != null) {
                    throw bad(n, "second HELP for " + m.group(1));
                }
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (families.containsKey(m.group(1))) {
                    throw bad(n, "second TYPE for " + m.group(1));
                }
                families.put(m.group(1), new Family(m.group(2), helps.get(m.group(1)), new LinkedHashMap<>()));
            } else if (line.startsWith("#")) {
                continue;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                Family family = families.get(m.group(1));
                if (family == null || SUFFIXED.contains(family.type())) {
                    throw bad(n, "sample of " + m.group(1) + " before its TYPE");
                }
                Map<String, String> labels = labels(n, m.group(2) == null ? "" : m.group(2));
                if (family.samples().put(labels, value(n, m.group(3))) != null) {
                    throw bad(n, "series given twice");
                }
            } else {
                throw bad(n, "not a sample, HELP, TYPE or comment: " + line);
            }
        }
        return families;
    }

    private static Map<String, String> labels(int n, String text) {
        Map<String, String> labels = new TreeMap<>();
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw bad(n, "bad labels: " + text);
            }
            String value = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
            if (labels.put(m.group(1), value) != null) {
                throw bad(n, "label " + m.group(1) + " given twice");
            }
            at = m.end();
        }
        return labels;
    }

    private static double value(int n, String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!text.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    throw bad(n, "bad value " + text);
                }
                yield Double.parseDouble(text);
            }
        };
    }

    private static IllegalArgumentException bad(int line, String what) {
        return new IllegalArgumentException("line " + line + ": " + what);
    }
}
