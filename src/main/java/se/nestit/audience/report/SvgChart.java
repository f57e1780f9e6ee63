package se.nestit.audience.report;

import java.util.List;

/**
 * One chart of a figure per run, as inline SVG: no script and no request, so the report opens
 * anywhere. Every mark carries its run ({@code data-run}), its series ({@code data-series}) and its
 * figure ({@code data-value}), and a {@code <title>} a browser shows on hover.
 */
final class SvgChart {

    /** One line or one colour of bars: a figure per run, null where the run has none. */
    record Series(String name, String color, List<Long> values) {}

    private static final int WIDTH = 480;
    private static final int HEIGHT = 210;
    private static final int LEFT = 50;
    private static final int RIGHT = 10;
    private static final int TOP = 12;
    private static final int BOTTOM = 26;
    private static final int TICKS = 4;
    private static final int MAX_LABELS = 6;
    private static final List<String> DASHES = List.of("", "7 4", "2 3", "10 3 2 3");

    private final List<String> runs;
    private final List<String> labels;
    private final StringBuilder svg = new StringBuilder();
    private final long min;
    private final long max;

    /**
     * @param runs each run's identity for {@code data-run} (its {@code as_of})
     * @param labels each run's label on the x axis
     * @param low the lowest figure to show (0, or below for removes)
     * @param high the highest figure to show
     */
    private SvgChart(String kind, String title, List<String> runs, List<String> labels, long low, long high) {
        this.runs = runs;
        this.labels = labels;
        // a chart of nothing but zeros still gets an axis, with the zero line at the bottom
        long step = Math.max(1, niceStep(Math.max(high, -low), TICKS));
        this.max = high <= 0 && low >= 0 ? TICKS : high <= 0 ? 0 : ceilTo(high, step);
        this.min = low >= 0 ? 0 : -ceilTo(-low, step);
        svg.append("<svg class=\"chart\" data-chart=\"")
                .append(Html.escape(kind))
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"")
                .append(Html.escape(title))
                .append("\">");
        axes(step);
    }

    /** Members per run, one line per series. */
    static String line(String kind, String title, List<String> runs, List<String> labels, List<Series> series) {
        SvgChart c = new SvgChart(kind, title, runs, labels, 0, highest(series));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            // lines of equal figures lie on each other: each series its own dashes, so that all show
            String dashes = DASHES.get(k % DASHES.size());
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < runs.size(); i++) {
                Long v = s.values().get(i);
                if (v == null) {
                    c.polyline(points, s, dashes);
                    points.setLength(0);
                    continue;
                }
                points.append(points.isEmpty() ? "" : " ")
                        .append(round(c.x(i)))
                        .append(',')
                        .append(round(c.y(v)));
            }
            c.polyline(points, s, dashes);
            for (int i = 0; i < runs.size(); i++) {
                Long v = s.values().get(i);
                if (v != null) {
                    c.svg.append("<circle cx=\"")
                            .append(round(c.x(i)))
                            .append("\" cy=\"")
                            .append(round(c.y(v)))
                            .append("\" r=\"3\" fill=\"")
                            .append(s.color())
                            .append('"');
                    c.data(i, s, v, labels.get(i) + ": " + s.name() + " " + Html.count(v));
                    c.svg.append("</circle>");
                }
            }
        }
        return c.end();
    }

    /** Adds above the axis and removes below it, a bar per series side by side in each run. */
    static String addsAndRemoves(
            String title, List<String> runs, List<String> labels, List<Series> adds, List<Series> removes) {
        SvgChart c = new SvgChart("adds-removes", title, runs, labels, -highest(removes), highest(adds));
        double slot = c.slot();
        double bar = slot * 0.8 / Math.max(1, adds.size());
        for (int i = 0; i < runs.size(); i++) {
            double left = c.x(i) - slot * 0.4;
            for (int k = 0; k < adds.size(); k++) {
                Long add = adds.get(k).values().get(i);
                Long remove = removes.get(k).values().get(i);
                if (add != null) {
                    c.bar(i, left + k * bar, bar, c.y(add), c.y(0), adds.get(k), "adds", add, "1");
                }
                if (remove != null) {
                    c.bar(i, left + k * bar, bar, c.y(0), c.y(-remove), removes.get(k), "removes", remove, "0.55");
                }
            }
        }
        return c.end();
    }

    /** One bar per run, its layers stacked from the first series up. */
    static String stacked(String kind, String title, List<String> runs, List<String> labels, List<Series> layers) {
        long high = 0;
        for (int i = 0; i < runs.size(); i++) {
            long total = 0;
            for (Series s : layers) {
                Long v = s.values().get(i);
                total += v == null ? 0 : v;
            }
            high = Math.max(high, total);
        }
        SvgChart c = new SvgChart(kind, title, runs, labels, 0, high);
        double width = c.slot() * 0.7;
        for (int i = 0; i < runs.size(); i++) {
            long base = 0;
            for (Series s : layers) {
                Long v = s.values().get(i);
                if (v == null || v == 0) {
                    continue;
                }
                c.bar(i, c.x(i) - width / 2, width, c.y(base + v), c.y(base), s, "layer", v, "1");
                base += v;
            }
        }
        return c.end();
    }

    private void bar(
            int run,
            double left,
            double width,
            double top,
            double bottom,
            Series s,
            String kind,
            long value,
            String opacity) {
        svg.append("<rect x=\"")
                .append(round(left))
                .append("\" y=\"")
                .append(round(top))
                .append("\" width=\"")
                .append(round(Math.max(width - 1, 1)))
                .append("\" height=\"")
                .append(round(Math.max(bottom - top, 0)))
                .append("\" fill=\"")
                .append(s.color())
                .append("\" fill-opacity=\"")
                .append(opacity)
                .append("\" data-kind=\"")
                .append(kind)
                .append('"');
        data(
                run,
                s,
                value,
                labels.get(run) + ": " + s.name() + " " + kind.replace("layer", "") + " " + Html.count(value));
        svg.append("</rect>");
    }

    private void data(int run, Series s, long value, String title) {
        svg.append(" data-run=\"")
                .append(Html.escape(runs.get(run)))
                .append("\" data-series=\"")
                .append(Html.escape(s.name()))
                .append("\" data-value=\"")
                .append(value)
                .append("\"><title>")
                .append(Html.escape(title.replace("  ", " ")))
                .append("</title>");
    }

    private void polyline(StringBuilder points, Series s, String dashes) {
        if (!points.isEmpty()) {
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
                    .append(s.color())
                    .append('"')
                    .append(dashes.isEmpty() ? "" : " stroke-dasharray=\"" + dashes + "\"")
                    .append(" points=\"")
                    .append(points)
                    .append("\"/>");
        }
    }

    private void axes(long step) {
        for (long v = min; v <= max; v += step) {
            String y = round(y(v));
            svg.append("<line class=\"grid")
                    .append(v == 0 ? " zero" : "")
                    .append("\" x1=\"")
                    .append(LEFT)
                    .append("\" x2=\"")
                    .append(WIDTH - RIGHT)
                    .append("\" y1=\"")
                    .append(y)
                    .append("\" y2=\"")
                    .append(y)
                    .append("\"/>")
                    .append("<text class=\"tick\" x=\"")
                    .append(LEFT - 6)
                    .append("\" y=\"")
                    .append(round(y(v) + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(Html.count(Math.abs(v)))
                    .append("</text>");
        }
        int every = Math.max(1, (runs.size() + MAX_LABELS - 1) / MAX_LABELS);
        for (int i = 0; i < runs.size(); i += every) {
            svg.append("<text class=\"tick\" x=\"")
                    .append(round(x(i)))
                    .append("\" y=\"")
                    .append(HEIGHT - 8)
                    .append("\" text-anchor=\"middle\">")
                    .append(Html.escape(labels.get(i)))
                    .append("</text>");
        }
    }

    private String end() {
        return svg.append("</svg>").toString();
    }

    private double slot() {
        return (WIDTH - LEFT - RIGHT) / (double) Math.max(1, runs.size());
    }

    private double x(int run) {
        return LEFT + slot() * (run + 0.5);
    }

    private double y(long value) {
        return TOP + (HEIGHT - TOP - BOTTOM) * (max - value) / (double) (max - min);
    }

    private static String round(double v) {
        return Html.decimals(v, 1);
    }

    private static long highest(List<Series> series) {
        return series.stream()
                .flatMap(s -> s.values().stream())
                .filter(v -> v != null)
                .mapToLong(v -> v)
                .max()
                .orElse(0);
    }

    /** The smallest step of 1, 2 or 5 times a power of ten that covers {@code high} in {@code ticks} steps. */
    static long niceStep(long high, int ticks) {
        if (high <= 0) {
            return 0;
        }
        long raw = (high + ticks - 1) / ticks;
        long power = 1;
        while (power * 10 <= raw) {
            power *= 10;
        }
        for (long m : new long[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static long ceilTo(long v, long step) {
        return (v + step - 1) / step * step;
    }
}
