import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a run's time went, from a JFR recording made by bench/profile.sh: CPU samples per thread
 * and their top frames, the JIT compilations and deoptimizations, and the collector's pauses. Run
 * as a single-file program: {@code java bench/JfrProfile.java run.jfr [frames per thread]}.
 *
 * <p>JFR samples only Java threads; the compiler threads' share shows as the compilations' time,
 * which is wall time on a compiler thread and so counts time waiting for a core when all are busy.
 */
public final class JfrProfile {

    private record Compilation(String method, String compiler, boolean osr, long codeBytes, Duration took) {}

    private final Map<String, Integer> samplesPerThread = new HashMap<>();
    private final Map<String, Map<String, Integer>> topFrames = new HashMap<>();
    private final List<Compilation> compilations = new ArrayList<>();
    private final Map<String, Integer> deoptimizations = new HashMap<>();
    private final List<Duration> pauses = new ArrayList<>();
    private Instant first = Instant.MAX;
    private Instant last = Instant.MIN;

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java bench/JfrProfile.java RECORDING.jfr [FRAMES_PER_THREAD]");
            System.exit(2);
        }
        JfrProfile profile = new JfrProfile();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            profile.add(e);
        }
        System.out.print(profile.report(args.length == 2 ? Integer.parseInt(args[1]) : 8));
    }

    void add(RecordedEvent e) {
        if (e.getStartTime().isBefore(first)) {
            first = e.getStartTime();
        }
        if (e.getEndTime().isAfter(last)) {
            last = e.getEndTime();
        }
        switch (e.getEventType().getName()) {
            case "jdk.ExecutionSample" -> sample(e);
            case "jdk.Compilation" -> compilations.add(new Compilation(
                    name(e.getValue("method")),
                    e.getString("compiler"),
                    e.getBoolean("isOsr"),
                    e.getLong("codeSize"),
                    e.getDuration()));
            case "jdk.Deoptimization" -> deoptimizations.merge(
                    name(e.getValue("method")) + " line " + e.getInt("lineNumber") + ": " + e.getString("reason"),
                    1,
                    Integer::sum);
            case "jdk.GCPhasePause" -> pauses.add(e.getDuration());
            default -> {}
        }
    }

    private void sample(RecordedEvent e) {
        RecordedThread thread = e.getThread("sampledThread");
        String name = thread == null ? "?" : thread.getJavaName();
        samplesPerThread.merge(name, 1, Integer::sum);
        List<RecordedFrame> frames = e.getStackTrace() == null ? List.of() : e.getStackTrace().getFrames();
        if (!frames.isEmpty()) {
            RecordedFrame top = frames.get(0);
            topFrames.computeIfAbsent(name, t -> new HashMap<>())
                    .merge(name(top.getMethod()) + " line " + top.getLineNumber(), 1, Integer::sum);
        }
    }

    String report(int framesPerThread) {
        StringBuilder out = new StringBuilder();
        int samples = samplesPerThread.values().stream().mapToInt(Integer::intValue).sum();
        out.append(String.format(
                Locale.ROOT,
                "recording: %.1f s, %d CPU samples of Java threads%n%nCPU samples per thread%n",
                Duration.between(first, last).toMillis() / 1000.0,
                samples));
        for (Map.Entry<String, Integer> t : byCount(samplesPerThread)) {
            out.append(String.format(
                    Locale.ROOT, "  %-34s %6d  %5.1f%%%n", t.getKey(), t.getValue(), 100.0 * t.getValue() / samples));
        }
        for (Map.Entry<String, Integer> t : limit(byCount(samplesPerThread), 4)) {
            out.append(String.format(Locale.ROOT, "%nTop frames of %s%n", t.getKey()));
            Map<String, Integer> frames = topFrames.getOrDefault(t.getKey(), Map.of());
            for (Map.Entry<String, Integer> f : limit(byCount(frames), framesPerThread)) {
                out.append(String.format(
                        Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * f.getValue() / t.getValue(), f.getKey()));
            }
        }
        out.append(String.format(Locale.ROOT, "%nCompilations (time on a compiler thread)%n"));
        Map<String, List<Compilation>> perCompiler =
                compilations.stream().collect(Collectors.groupingBy(Compilation::compiler));
        perCompiler.keySet().stream().sorted().forEach(c -> out.append(String.format(
                Locale.ROOT,
                "  %s: %d compilations, %.2f s%n",
                c,
                perCompiler.get(c).size(),
                perCompiler.get(c).stream().mapToLong(x -> x.took().toMillis()).sum() / 1000.0)));
        compilations.stream()
                .sorted(Comparator.comparing(Compilation::took).reversed())
                .limit(12)
                .forEach(c -> out.append(String.format(
                        Locale.ROOT,
                        "  %6d ms  %s%s %6.1f kB  %s%n",
                        c.took().toMillis(),
                        c.compiler(),
                        c.osr() ? " OSR" : "    ",
                        c.codeBytes() / 1000.0,
                        c.method())));
        int deopts = deoptimizations.values().stream().mapToInt(Integer::intValue).sum();
        out.append(String.format(Locale.ROOT, "%nDeoptimizations: %d%n", deopts));
        for (Map.Entry<String, Integer> d : limit(byCount(deoptimizations), 10)) {
            out.append(String.format(Locale.ROOT, "  %4d  %s%n", d.getValue(), d.getKey()));
        }
        out.append(String.format(
                Locale.ROOT,
                "%nGC pauses: %d, %d ms in all, longest %d ms%n",
                pauses.size(),
                pauses.stream().mapToLong(Duration::toMillis).sum(),
                pauses.stream().mapToLong(Duration::toMillis).max().orElse(0)));
        return out.toString();
    }

    private static String name(RecordedMethod m) {
        if (m == null) {
            return "?";
        }
        String type = m.getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + m.getName();
    }

    private static List<Map.Entry<String, Integer>> byCount(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .toList();
    }

    private static <T> List<T> limit(List<T> list, int n) {
        return list.subList(0, Math.min(n, list.size()));
    }
}
