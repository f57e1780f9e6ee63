package se.nestit.audience.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentStatus;

/** Reads the audit trail back, for {@code verify}. */
public final class AuditReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditReader() {}

    /**
     * Hands over every entry of every file, oldest file first.
     *
     * @throws IllegalArgumentException naming the file and line of an entry that cannot be read
     */
    public static void read(Path out, Consumer<AuditEntry> sink) {
        for (Path file : AuditTrail.files(out)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                long number = 0;
                while ((line = in.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        sink.accept(entry(JSON.readTree(line)));
                    } catch (IOException | RuntimeException e) {
                        throw new IllegalArgumentException(file + ": line " + number + ": not an audit entry (" + e.getMessage() + ")", e);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
    }

    private static AuditEntry entry(JsonNode n) {
        List<AuditEntry.Holder> holders = new ArrayList<>();
        for (JsonNode h : n.required("customers")) {
            String customerId = h.required("customer_id").asText();
            Map<ConsentSignal, ConsentRecord> signals = new EnumMap<>(ConsentSignal.class);
            for (ConsentSignal s : ConsentSignal.values()) {
                JsonNode c = h.path("signals").get(s.code());
                if (c != null) {
                    signals.put(s, consent(customerId, c));
                }
            }
            JsonNode c = h.get("consent");
            holders.add(new AuditEntry.Holder(customerId, h.required("verdict").asText(), c == null ? null : consent(customerId, c),
                    signals));
        }
        Map<ConsentSignal, String> purposes = new EnumMap<>(ConsentSignal.class);
        JsonNode p = n.get("signal_purposes");
        if (p != null) {
            for (ConsentSignal s : ConsentSignal.values()) {
                purposes.put(s, p.required(s.code()).asText());
            }
        }
        return new AuditEntry(n.required("run_id").asText(), Instant.parse(n.required("time").asText()),
                Instant.parse(n.required("as_of").asText()), n.required("destination").asText(), n.required("audience").asText(),
                n.required("operation").asText(), n.required("outcome").asText(), n.required("hash").asText(),
                n.required("purpose").asText(), n.required("max_age_days").asInt(), holders, purposes);
    }

    private static ConsentRecord consent(String customerId, JsonNode c) {
        return new ConsentRecord(customerId, c.required("purpose").asText(),
                ConsentStatus.parse(c.required("status").asText()).orElseThrow(() -> new IllegalArgumentException("status")),
                Instant.parse(c.required("recorded_at").asText()), c.path("source").asText(""), c.path("brand").asText(""),
                c.path("line").asLong(0));
    }
}
